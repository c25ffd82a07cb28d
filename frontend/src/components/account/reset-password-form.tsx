"use client";
// Chooses a new password with the link's token: the same live rule list as sign-up (the server's
// policy, src/lib/password-policy.ts). Success ends every session of the account and signs this
// browser in (src/server/reset-sign-in.ts): on to the dashboard. A browser signed in to another
// account stays in it, and is told to sign in with the new password.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { buttonVariants } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import type { PasswordPolicyName } from "@/lib/password-policy";
import { passwordRefusal } from "../password-check";
import { PasswordRules } from "../password-rules";
import { UNREACHABLE } from "./email-request-form";
import { FormError } from "@/components/ui/form-error";
import { Label } from "@/components/ui/label";
import { PasswordInput } from "@/components/ui/password-input";
import { useCheckedPassword } from "./use-checked-password";
import { SubmitButton } from "@/components/ui/submit-button";

type State = { kind: "idle" | "sending" | "done" } | { kind: "error"; message: string; linkDead?: boolean };

/** The form's state and submit: the new password sent with the link's token, the server's answer shown. */
function useResetPassword({ token, policy }: { token: string; policy: PasswordPolicyName }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: "idle" });
  // The rules are stated by the checklist alone: a refusal marks it (with the server's reasons) and moves focus there.
  const rules = useCheckedPassword(policy, "reset-password-rules", () => setState({ kind: "idle" }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.kind === "sending") return;
    if (rules.unmet()) return rules.mark();
    setState({ kind: "sending" });
    try {
      const { data, error } = await authClient.resetPassword({ newPassword: rules.password, token });
      if (!error) {
        if (!(data as { signedIn?: boolean } | null)?.signedIn) return setState({ kind: "done" });
        toast.success("Password changed. You are signed in.");
        router.replace("/dashboard");
        router.refresh();
        return;
      }
      const e = error as { code?: string; message?: string; fields?: { message: string }[] };
      if (e.code === "INVALID_TOKEN") return setState({ kind: "error", message: "This link has expired or was already used.", linkDead: true });
      const refusal = passwordRefusal(e);
      if (refusal.refused.length && !refusal.other) return rules.mark(refusal.refused);
      setState({ kind: "error", message: e.fields?.map((f) => f.message).join(" ") || e.message || "Could not change the password right now. Try again." });
    } catch {
      setState({ kind: "error", message: UNREACHABLE });
    }
  }

  return { state, rules, onSubmit };
}

export function ResetPasswordForm({ token, policy }: { token: string; policy: PasswordPolicyName }) {
  const { state, rules, onSubmit } = useResetPassword({ token, policy });
  if (state.kind === "done") {
    return (
      <div role="status" className="grid gap-3 text-sm" data-testid="password-reset-done">
        <p className="m-0">Your password was changed, and every device that was signed in to that account has been signed out.</p>
        <p className="m-0">
          <Link href="/sign-in">Sign in with your new password</Link>
        </p>
      </div>
    );
  }
  return (
    <form className="grid gap-3" onSubmit={onSubmit} aria-label="Choose a new password" noValidate>
      <div className="grid gap-2">
        <Label htmlFor="new-password">New password</Label>
        <PasswordInput
          id="new-password"
          name="password"
          autoComplete="new-password"
          required
          {...rules.inputProps()}
        />
      </div>
      <PasswordRules {...rules.rulesProps} />
      <FormError message={state.kind === "error" ? state.message : undefined} />
      {state.kind === "error" && state.linkDead ? (
        <Link href="/forgot-password" className={buttonVariants({ variant: "outline" })}>
          Send me a new link
        </Link>
      ) : null}
      <SubmitButton disabled={state.kind === "sending"}>
        {state.kind === "sending" ? "Saving…" : "Set new password"}
      </SubmitButton>
    </form>
  );
}
