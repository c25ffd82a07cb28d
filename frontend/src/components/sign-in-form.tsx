"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { signInErrors, type FieldErrors } from "./auth-errors";
import { Field } from "./ui/field";
import { FormError } from "./ui/form-error";

export function SignInForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const local: FieldErrors = {};
    if (!email) local.email = "Enter your email address.";
    if (!password) local.password = "Enter your password.";
    setErrors(local);
    if (Object.keys(local).length) return;

    setPending(true);
    const { error } = await authClient.signIn.email({ email, password });
    if (error) {
      setErrors(signInErrors(error));
      setPending(false);
      return;
    }
    router.replace("/dashboard");
    router.refresh();
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-busy={pending}>
      <FormError message={errors.form} />
      <Field id="email" name="email" label="Email" type="email" autoComplete="email" required error={errors.email} />
      <Field id="password" name="password" label="Password" type="password" autoComplete="current-password" required error={errors.password} />
      <div className="row">
        <button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
        <span className="muted">
          New here? <Link href="/sign-up">Create an account</Link>
        </span>
      </div>
    </form>
  );
}
