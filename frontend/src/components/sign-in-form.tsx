"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { DEFAULT_RETURN_PATH } from "@/lib/return-path";
import { SendLinkButton } from "./account/send-link-button";
import { signInErrors } from "./auth-errors";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { Field } from "./ui/field";
import { FormError } from "./ui/form-error";
import { focusById, useFields } from "./use-fields";
import { SubmitButton } from "@/components/ui/submit-button";

const IDS = { email: "email", password: "password", form: "sign-in-error" } as const;

/** The second step's page, keeping where the sign-in returns to. */
const twoFactorHref = (next: string) => (next === DEFAULT_RETURN_PATH ? "/sign-in/two-factor" : `/sign-in/two-factor?${new URLSearchParams({ next })}`);

/** `next` is where to go after signing in: already checked to be a path on this site (src/lib/return-path.ts). */
export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  // The address a right password met unconfirmed (strict mode): a new link for it is one click away.
  const [unverified, setUnverified] = useState<string | null>(null);
  const form = useFields({ email: "", password: "" }, (v) => ({
    email: v.email.trim() ? undefined : "Enter your email address.",
    password: v.password ? undefined : "Enter your password.",
  }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const local = form.submit();
    const first = form.firstInvalid(local);
    if (first) return focusById(IDS[first]);

    setPending(true);
    const { email, password } = form.values;
    const result = await reach((signal) => authClient.signIn.email({ email: email.trim(), password }, { signal }));
    if (result.reached && !result.value.error) {
      // Two-step sign-in on: no session yet, the code comes next on its own page (docs/security.md "Two-step sign-in").
      const waitsForCode = (result.value.data as { twoFactorRedirect?: boolean } | null)?.twoFactorRedirect === true;
      router.replace(waitsForCode ? twoFactorHref(next) : next);
      if (!waitsForCode) router.refresh();
      return;
    }
    setPending(false);
    form.setServerErrors(result.reached ? signInErrors(result.value.error!) : { form: NETWORK_ERROR_MESSAGE });
    setUnverified(result.reached && result.value.error!.code === "EMAIL_NOT_VERIFIED" ? email.trim() : null);
    focusById(IDS.form);
  }

  return (
    <form className="grid gap-5" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label="Sign in">
      <FormError id={IDS.form} message={form.errors.form} />
      {/* Keyed by the address: another address typed since is another question. */}
      {unverified !== null && form.errors.form && form.values.email.trim() === unverified ? <SendLinkButton key={unverified} email={unverified} variant="outline" /> : null}
      {/* `webauthn`: the browser may offer this site's passkeys right in the field (passkey-sign-in.tsx). */}
      <Field id={IDS.email} name="email" label="Email" type="email" autoComplete="username webauthn" required error={form.errors.email} {...form.bind("email")} />
      <Field id={IDS.password} name="password" label="Password" type="password" autoComplete="current-password" required error={form.errors.password} {...form.bind("password")} />
      <SubmitButton disabled={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </SubmitButton>
    </form>
  );
}
