"use client";
// The password checklist: the only place a form states the password rules (src/lib/password-policy.ts),
// ticked as the user types, with the same strength judge the server runs (src/lib/password-strength.ts).
// Its dictionaries are large, so usePasswordStrength loads them when the password field is first
// focused; until they are here the strength rule says so, and the server judges it on submit. A
// refused submit marks the failing rules and moves focus here (the list takes focus, tabIndex -1).
import { Check, Circle, LoaderCircle, X } from "lucide-react";
import { useCallback, useMemo, useState } from "react";
import { loadStrengthJudge, strengthInputs, type StrengthJudge } from "@/lib/password-strength";
import { checklist, type ChecklistInput, type JudgeStatus, type RuleState } from "./password-check";
import { cn } from "./ui/cn";

const ICONS = { met: Check, failed: X, pending: LoaderCircle, unmet: Circle } as const;
const SPOKEN: Record<RuleState, string> = { met: " (met)", failed: " (not met)", pending: "", unmet: " (not met yet)" };
const COLOURS: Record<RuleState, string> = { met: "text-success", failed: "text-destructive", pending: "text-muted-foreground", unmet: "text-muted-foreground" };

type Judge = (password: string) => { strong: boolean; message?: string };

export interface PasswordStrength {
  /** The judge with the user's own name and email bound in (the server binds the same); none until loaded. */
  judgeFor: (name?: string, email?: string) => Judge | undefined;
  status: JudgeStatus;
  /** Starts loading the dictionaries (call it when the password field is focused). */
  load: () => void;
}

/** The strength judge for a form, loaded on demand. */
export function usePasswordStrength(): PasswordStrength {
  const [judge, setJudge] = useState<StrengthJudge>();
  const [status, setStatus] = useState<JudgeStatus>("idle");
  const load = useCallback(() => {
    if (status === "loading" || status === "ready") return;
    setStatus("loading");
    loadStrengthJudge().then(
      (j) => {
        setJudge(() => j);
        setStatus("ready");
      },
      () => setStatus("failed"),
    );
  }, [status]);
  const judgeFor = useMemo(() => {
    if (!judge) return () => undefined;
    // The form validates on every render and the checklist judges too: one estimate per password.
    let last: { key: string; verdict: ReturnType<StrengthJudge> } | undefined;
    return (name?: string, email?: string): Judge => {
      const inputs = strengthInputs(name, email);
      return (password) => {
        const key = [password, ...inputs].join("\u0000");
        if (last?.key !== key) last = { key, verdict: judge(password, inputs) };
        return last.verdict;
      };
    };
  }, [judge]);
  return { judgeFor, status, load };
}

interface PasswordRulesProps extends Omit<ChecklistInput, "judge" | "status" | "marked"> {
  id: string;
  /** From usePasswordStrength; without it the strength rule is left to the server ("checked when you submit"). */
  strength?: PasswordStrength;
  /** The user's own words, as the form sends them (sign-up): a password should not lean on them. */
  name?: string;
  email?: string;
  marked?: boolean;
}

/**
 * The password field's aria-describedby: the checklist's items one by one (each rule with its state
 * and reason), not the list itself, whose accessible name ("Password rules") would be all a screen
 * reader said. Items not shown (the upper bound, far from it) are skipped by the browser.
 */
export const rulesDescription = (id: string): string => RULE_CODES.map((code) => `${id}-${code}`).join(" ");
const RULE_CODES = ["PASSWORD_TOO_SHORT", "PASSWORD_TOO_LONG", "PASSWORD_NEEDS_UPPERCASE", "PASSWORD_NEEDS_LOWERCASE", "PASSWORD_NEEDS_DIGIT", "PASSWORD_TOO_WEAK"] as const;

const NO_JUDGE: PasswordStrength = { status: "idle", load: () => {}, judgeFor: () => undefined };

export function PasswordRules({ id, strength = NO_JUDGE, name, email, marked = false, ...input }: PasswordRulesProps) {
  const items = checklist({ ...input, judge: strength.judgeFor(name, email), status: strength.status, marked });
  return (
    <ul className="m-0 grid list-none gap-1 rounded-md p-0 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring" id={id} aria-label="Password rules" tabIndex={-1}>
      {items.map(({ code, label, state, note }) => {
        const Icon = ICONS[state];
        return (
          <li key={code} id={`${id}-${code}`} data-rule={code} data-met={state === "met" ? "true" : "false"} data-state={state} className={cn("flex items-start gap-2", COLOURS[state])}>
            <Icon aria-hidden className={cn("mt-0.5 shrink-0", state === "unmet" ? "size-3 mt-1" : "size-4", state === "pending" && "motion-safe:animate-spin")} />
            <span>
              {label}
              <span className="sr-only">{SPOKEN[state]}</span>
              {note ? <span className={cn("block", state === "failed" ? "text-destructive" : "text-muted-foreground")} data-testid="password-rule-note">{note}</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
