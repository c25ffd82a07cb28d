"use client";
// Change password. The server forces revokeOtherSessions (src/server/password-hook.ts): every other
// session, and so every backend token issued for it, ends; this browser gets a new session.
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { checkPassword, PASSWORD_UNCHANGED, type PasswordFailure, type PasswordPolicyName } from "@/lib/password-policy";
import { accountErrors } from "./auth-errors";
import { NewPasswordField } from "./new-password-field";
import { passwordRefusal, SEE_CHECKLIST } from "./password-check";
import { usePasswordStrength } from "./password-rules";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { SignedOutNotice } from "./signed-out-notice";
import { Field } from "./ui/field";
import { FormError } from "./ui/form-error";
import { toast } from "./ui/toaster";
import { focusById, useFields } from "./use-fields";
import { SubmitButton } from "@/components/ui/submit-button";

const IDS = { current: "current-password", password: "new-password", form: "change-password-error" } as const;
const RULES_ID = "new-password-rules";

/** The form's state and submit: the server's answer shown field by field, focus to the first problem. */
function useChangePassword({ policy }: { policy: PasswordPolicyName }) {
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const strength = usePasswordStrength();
  // Rules the server refused the password for (with its reasons), until the password changes.
  const [refused, setRefused] = useState<PasswordFailure[]>([]);
  // The new password's rules are stated by the checklist alone; "unchanged" is not one of them.
  const form = useFields({ current: "", password: "" }, (v) => ({
    current: v.current ? undefined : "Enter your current password.",
    password: checkPassword(v.password, policy, strength.judgeFor()).length
      ? SEE_CHECKLIST
      : v.password && v.password === v.current
        ? PASSWORD_UNCHANGED.message
        : undefined,
  }));
  const focusField = (key: keyof typeof IDS, errors: Partial<Record<string, string>>) =>
    focusById(key === "password" && errors.password === SEE_CHECKLIST ? RULES_ID : IDS[key]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setDone(false);
    const local = form.submit();
    const first = form.firstInvalid(local);
    if (first) return focusField(first, local);

    setPending(true);
    const { current, password } = form.values;
    const result = await reach((signal) => authClient.changePassword({ currentPassword: current, newPassword: password, revokeOtherSessions: true }, { signal }));
    setPending(false);
    if (result.reached && !result.value.error) {
      form.reset();
      setRefused([]);
      setDone(true);
      toast.success("Password changed");
      return;
    }
    if (!result.reached) {
      form.setServerErrors({ form: NETWORK_ERROR_MESSAGE });
      return focusById(IDS.form);
    }
    const error = result.value.error!;
    if (error.status === 401 && error.code !== "INVALID_PASSWORD") {
      setSignedOut(true);
      return focusById("change-password-signed-out");
    }
    const refusal = passwordRefusal(error);
    setRefused(refusal.refused);
    const errors =
      error.code === "INVALID_PASSWORD"
        ? { current: "The current password is not correct." }
        : (({ password: p, form: f, email, name }) => ({ password: refusal.refused.length ? (refusal.other ?? SEE_CHECKLIST) : p, form: f ?? email ?? name }))(
            accountErrors(error, "change-password"),
          );
    form.setServerErrors(errors);
    focusField(form.firstInvalid(errors) ?? "form", errors);
  }
  return { pending, done, signedOut, strength, refused, setRefused, form, onSubmit };
}

export function ChangePasswordForm({ policy }: { policy: PasswordPolicyName }) {
  const { pending, done, signedOut, strength, refused, setRefused, form, onSubmit } = useChangePassword({ policy });

  return (
    <form className="grid gap-5" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label="Change password">
      {signedOut ? <SignedOutNotice id="change-password-signed-out" /> : null}
      <FormError id={IDS.form} message={form.errors.form} />
      {done ? (
        <p role="status" className="m-0 rounded-md border border-success px-3 py-2 text-sm">
          Password changed. Every other session has been signed out.
        </p>
      ) : null}
      <Field id={IDS.current} label="Current password" type="password" autoComplete="current-password" required error={form.errors.current} {...form.bind("current")} />
      <NewPasswordField
        id={IDS.password}
        rulesId={RULES_ID}
        label="New password"
        policy={policy}
        strength={strength}
        error={form.errors.password}
        refused={refused}
        value={form.values.password}
        onBlur={form.bind("password").onBlur}
        onChange={(value) => {
          form.set("password", value);
          setRefused([]);
        }}
      />
      <div>
        <SubmitButton disabled={pending}>
          {pending ? "Changing password…" : "Change password"}
        </SubmitButton>
      </div>
    </form>
  );
}
