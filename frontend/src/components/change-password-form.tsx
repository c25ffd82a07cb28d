"use client";
// Change password. The server forces revokeOtherSessions (src/server/password-hook.ts): every other
// session, and so every backend token issued for it, ends; this browser gets a new session.
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { checkPassword, PASSWORD_UNCHANGED, type PasswordPolicyName } from "@/lib/password-policy";
import { accountErrors } from "./auth-errors";
import { commonVerdict, PasswordRules, type CommonVerdict } from "./password-rules";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { SignedOutNotice } from "./signed-out-notice";
import { Button } from "./ui/button";
import { Field } from "./ui/field";
import { FormError } from "./ui/form-error";
import { toast } from "./ui/toaster";
import { focusById, useFields } from "./use-fields";

const IDS = { current: "current-password", password: "new-password", form: "change-password-error" } as const;

export function ChangePasswordForm({ policy }: { policy: PasswordPolicyName }) {
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const [common, setCommon] = useState<CommonVerdict>("unknown");
  const form = useFields({ current: "", password: "" }, (v) => ({
    current: v.current ? undefined : "Enter your current password.",
    password:
      checkPassword(v.password, policy).map((f) => f.message).join(" ") ||
      (v.password && v.password === v.current ? PASSWORD_UNCHANGED.message : undefined),
  }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setDone(false);
    const local = form.submit();
    const first = form.firstInvalid(local);
    if (first) return focusById(IDS[first]);

    setPending(true);
    const { current, password } = form.values;
    const result = await reach((signal) => authClient.changePassword({ currentPassword: current, newPassword: password, revokeOtherSessions: true }, { signal }));
    setPending(false);
    if (result.reached && !result.value.error) {
      form.reset();
      setCommon("unknown");
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
    setCommon(commonVerdict(error));
    const errors =
      error.code === "INVALID_PASSWORD"
        ? { current: "The current password is not correct." }
        : (({ password: p, form: f, email, name }) => ({ password: p, form: f ?? email ?? name }))(accountErrors(error, "change-password"));
    form.setServerErrors(errors);
    focusById(IDS[form.firstInvalid(errors) ?? "form"]);
  }

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
      <Field
        id={IDS.password}
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        error={form.errors.password}
        hintId="new-password-rules"
        hint={<PasswordRules id="new-password-rules" policy={policy} password={form.values.password} common={common} />}
        {...form.bind("password")}
        onChange={(e) => {
          form.set("password", e.target.value);
          setCommon("unknown");
        }}
      />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Changing password…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
