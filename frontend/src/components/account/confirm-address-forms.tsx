"use client";
// Confirming an address from a browser that did not sign up (docs/security.md "Pre-account takeover"):
// with the account's password, or, for whoever did not create the account (or forgot the password),
// by setting a new one: the address's owner decides which password survives. Either way every other
// device is signed out and this browser is signed in.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import type { PasswordPolicyName } from "@/lib/password-policy";
import { passwordRefusal } from "../password-check";
import { PasswordRules } from "../password-rules";
import { NETWORK_ERROR_MESSAGE, reach } from "../reach";
import { Button } from "../ui/button";
import { FormError } from "../ui/form-error";
import { Label } from "../ui/label";
import { PasswordInput } from "../ui/password-input";
import { useCheckedPassword } from "./use-checked-password";
import { SubmitButton } from "@/components/ui/submit-button";

type Mode = "password" | "new-password";
type State = { kind: "idle" | "sending" } | { kind: "error"; message: string };

const PATHS = { password: "/verify-address/with-password", "new-password": "/verify-address/with-new-password" } as const;

/** The forms' state and submit: the link's proof sent, the server's answer shown field by field. */
function useConfirmAddress({ token, policy }: { token: string; policy: PasswordPolicyName }) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>("password");
  const [state, setState] = useState<State>({ kind: "idle" });
  // The new password's rules are stated by the checklist alone: a refusal marks it (and the server's reasons).
  const rules = useCheckedPassword(policy, "confirm-password-rules", () => setState({ kind: "idle" }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.kind === "sending") return;
    const password = rules.password;
    if (!password) return setState({ kind: "error", message: "Enter a password." });
    if (mode === "new-password" && rules.unmet()) return rules.mark();
    setState({ kind: "sending" });
    const body = mode === "password" ? { token, password } : { token, newPassword: password };
    const result = await reach((signal) => authClient.$fetch<{ status: boolean }>(PATHS[mode], { method: "POST", body, signal }));
    if (!result.reached) return setState({ kind: "error", message: NETWORK_ERROR_MESSAGE });
    const error = result.value.error as { code?: string; message?: string; fields?: { message: string }[] } | null;
    if (!error) {
      router.replace("/dashboard");
      router.refresh();
      return;
    }
    if (error.code === "INVALID_TOKEN") return router.replace("/check-email?link=invalid");
    const refusal = passwordRefusal(error);
    if (mode === "new-password" && refusal.refused.length && !refusal.other) return rules.mark(refusal.refused);
    setState({ kind: "error", message: error.fields?.map((f) => f.message).join(" ") || error.message || "Could not confirm right now. Try again." });
  }

  const switchTo = (next: Mode) => {
    setMode(next);
    rules.clear();
    setState({ kind: "idle" });
  };
  return { mode, state, rules, onSubmit, switchTo };
}

export function ConfirmAddressForms({ token, email, policy }: { token: string; email: string; policy: PasswordPolicyName }) {
  const { mode, state, rules, onSubmit, switchTo } = useConfirmAddress({ token, policy });

  return (
    <form className="grid gap-4" onSubmit={onSubmit} noValidate aria-label={mode === "password" ? "Confirm with your password" : "Set a new password"}>
      {mode === "password" ? (
        <p className="m-0 text-sm">Enter the password of this account to finish.</p>
      ) : (
        <p className="m-0 text-sm">
          <strong className="[overflow-wrap:anywhere]">{email}</strong> is yours, so the account is yours: choose its password. Whatever password was set before stops
          working.
        </p>
      )}
      <div className="grid gap-2">
        <Label htmlFor="confirm-password">{mode === "password" ? "Password" : "New password"}</Label>
        <PasswordInput
          id="confirm-password"
          name="password"
          autoComplete={mode === "password" ? "current-password" : "new-password"}
          required
          {...rules.inputProps(mode === "new-password")}
        />
      </div>
      {mode === "new-password" ? (
        <PasswordRules {...rules.rulesProps} />
      ) : null}
      <FormError message={state.kind === "error" ? state.message : undefined} />
      <SubmitButton disabled={state.kind === "sending"}>
        {state.kind === "sending" ? "Confirming…" : mode === "password" ? "Confirm my email" : "Set password and confirm"}
      </SubmitButton>
      {mode === "password" ? (
        <Button variant="link" className="justify-self-start px-0" onClick={() => switchTo("new-password")}>
          I didn&apos;t create this account, or forgot its password
        </Button>
      ) : (
        <Button variant="link" className="justify-self-start px-0" onClick={() => switchTo("password")}>
          I know the password
        </Button>
      )}
    </form>
  );
}
