"use client";
// Change password. The server forces revokeOtherSessions (src/server/password-hook.ts): every other
// session, and so every backend token issued for it, ends; this browser gets a new session.
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { checkPassword, type PasswordPolicyName } from "@/lib/password-policy";
import { accountErrors } from "./auth-errors";
import { PasswordRules } from "./password-rules";
import { Field } from "./ui/field";
import { FormError } from "./ui/form-error";

type Errors = Partial<Record<"current" | "password" | "form", string>>;

export function ChangePasswordForm({ policy }: { policy: PasswordPolicyName }) {
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    const local: Errors = {};
    if (!current) local.current = "Enter your current password.";
    const failures = checkPassword(password, policy);
    if (failures.length) local.password = failures.map((f) => f.message).join(" ");
    setErrors(local);
    if (Object.keys(local).length) return;

    setPending(true);
    const { error } = await authClient.changePassword({ currentPassword: current, newPassword: password, revokeOtherSessions: true });
    setPending(false);
    if (error) {
      if (error.code === "INVALID_PASSWORD") return setErrors({ current: "The current password is not correct." });
      const mapped = accountErrors(error, "change-password");
      return setErrors({ password: mapped.password, form: mapped.form ?? mapped.email ?? mapped.name });
    }
    setCurrent("");
    setPassword("");
    setDone(true);
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <FormError message={errors.form} />
      {done ? (
        <p role="status">Password changed. Every other session has been signed out.</p>
      ) : null}
      <Field id="current-password" label="Current password" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} error={errors.current} />
      <Field
        id="new-password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        hintId="new-password-rules"
        hint={<PasswordRules id="new-password-rules" policy={policy} password={password} />}
      />
      <div className="row">
        <button type="submit" disabled={pending}>
          {pending ? "Changing password…" : "Change password"}
        </button>
      </div>
    </form>
  );
}
