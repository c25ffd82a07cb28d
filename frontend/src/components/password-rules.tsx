"use client";
// The password rules, shown before submit and ticked as the user types: the same definition the
// server enforces (src/lib/password-policy.ts). The common-password list stays on the server
// (77 KB), so that rule says "checked when you submit" until the server has judged it, then shows
// its verdict; it is never ticked without having been checked.
import { Check, Circle, X } from "lucide-react";
import { passwordRules, type PasswordPolicyName } from "@/lib/password-policy";
import { cn } from "./ui/cn";

/** What the server said about the common-password rule for the password as it is now. */
export type CommonVerdict = "unknown" | "passed" | "failed";

export function PasswordRules({ policy, password, id, common = "unknown" }: { policy: PasswordPolicyName; password: string; id: string; common?: CommonVerdict }) {
  return (
    <ul className="m-0 grid list-none gap-1 p-0 text-sm" id={id} aria-label="Password rules">
      {passwordRules(policy).map((rule) => {
        const state = rule.serverOnly
          ? common === "unknown"
            ? "pending"
            : common === "passed"
              ? "met"
              : "failed"
          : password.length > 0 && rule.passes(password, () => false)
            ? "met"
            : "unmet";
        const Icon = state === "met" ? Check : state === "failed" ? X : Circle;
        return (
          <li
            key={rule.code}
            data-met={state === "met" ? "true" : "false"}
            data-state={state}
            className={cn("flex items-center gap-2", state === "met" ? "text-success" : state === "failed" ? "text-destructive" : "text-muted-foreground")}
          >
            <Icon aria-hidden className={cn("shrink-0", state === "met" || state === "failed" ? "size-4" : "size-3")} />
            <span>
              {rule.label}
              <span className="sr-only">{state === "met" ? " (met)" : state === "failed" ? " (not met)" : state === "pending" ? "" : " (not met yet)"}</span>
              {state === "pending" ? <span className="text-muted-foreground"> (checked when you submit)</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

interface ErrorWithFields {
  code?: string;
  status?: number;
  fields?: Array<{ field: string; code?: string }>;
}

/**
 * The server's verdict on the common-password rule, read from a refused submit: the account rules
 * (src/server/password-hook.ts) judge every field at once, so a 422 with field errors has judged
 * the password too; a refusal from a later step (email taken, wrong current password) means the
 * rules passed. Anything else (unreachable, rate limited) has not judged it.
 */
export function commonVerdict(error: ErrorWithFields): CommonVerdict {
  const codes = [error.code, ...(error.fields ?? []).map((f) => f.code)];
  if (codes.includes("PASSWORD_TOO_COMMON")) return "failed";
  if (error.status === 422 && error.fields?.length) return "passed";
  if (["USER_ALREADY_EXISTS", "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", "INVALID_PASSWORD"].includes(error.code ?? "")) return "passed";
  return "unknown";
}
