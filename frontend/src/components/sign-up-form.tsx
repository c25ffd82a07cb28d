"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { checkPassword, type PasswordPolicyName } from "@/lib/password-policy";
import { checkEmail, checkName, EMAIL_MAX_LENGTH, NAME_MAX_CODE_POINTS } from "@/lib/profile-rules";
import { accountErrors, type FieldErrors } from "./auth-errors";
import { PasswordRules } from "./password-rules";
import { Field } from "./ui/field";
import { FormError } from "./ui/form-error";

export function SignUpForm({ policy }: { policy: PasswordPolicyName }) {
  const router = useRouter();
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    const email = String(form.get("email") ?? "").trim();
    // The server's rules (src/lib/profile-rules.ts), judged here first.
    const local: FieldErrors = {};
    const [nameFailure] = checkName(name);
    if (nameFailure) local.name = nameFailure.message;
    const [emailFailure] = checkEmail(email);
    if (emailFailure) local.email = emailFailure.message;
    const failures = checkPassword(password, policy);
    if (failures.length) local.password = failures.map((f) => f.message).join(" ");
    setErrors(local);
    if (Object.keys(local).length) return;

    setPending(true);
    const { error } = await authClient.signUp.email({ name, email, password });
    if (error) {
      setErrors(accountErrors(error, "sign-up"));
      setPending(false);
      return;
    }
    router.replace("/dashboard");
    router.refresh();
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <FormError message={errors.form} />
      {/* maxLength counts UTF-16 units, the rule code points (an emoji is two units): room for both. */}
      <Field id="name" name="name" label="Name" type="text" autoComplete="name" required maxLength={NAME_MAX_CODE_POINTS * 2} error={errors.name} />
      <Field id="email" name="email" label="Email" type="email" autoComplete="email" required maxLength={EMAIL_MAX_LENGTH} error={errors.email} />
      <Field
        id="password"
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        hintId="password-rules"
        hint={<PasswordRules id="password-rules" policy={policy} password={password} />}
      />
      <div className="row">
        <button type="submit" disabled={pending}>
          {pending ? "Creating account…" : "Create account"}
        </button>
        <span className="muted">
          Have an account? <Link href="/sign-in">Sign in</Link>
        </span>
      </div>
    </form>
  );
}
