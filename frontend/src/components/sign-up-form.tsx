"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { checkPassword, type PasswordPolicyName } from "@/lib/password-policy";
import { checkEmail, checkName, EMAIL_MAX_LENGTH, NAME_MAX_CODE_POINTS } from "@/lib/profile-rules";
import { accountErrors, isExistingAccount } from "./auth-errors";
import { commonVerdict, PasswordRules, type CommonVerdict } from "./password-rules";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { Button } from "./ui/button";
import { Field } from "./ui/field";
import { FormError } from "./ui/form-error";
import { focusById, useFields } from "./use-fields";

const IDS = { name: "name", email: "email", password: "password", form: "sign-up-error" } as const;

export function SignUpForm({ policy }: { policy: PasswordPolicyName }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [common, setCommon] = useState<CommonVerdict>("unknown");
  // The address already has an account (the default mode says so): links to sign in or reset, until it changes.
  const [existing, setExisting] = useState(false);
  // The server's rules (src/lib/profile-rules.ts, src/lib/password-policy.ts), judged here first.
  const form = useFields({ name: "", email: "", password: "" }, (v) => ({
    name: checkName(v.name.trim())[0]?.message,
    email: checkEmail(v.email.trim())[0]?.message,
    password: checkPassword(v.password, policy).map((f) => f.message).join(" ") || undefined,
  }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const local = form.submit();
    const first = form.firstInvalid(local);
    if (first) return focusById(IDS[first]);

    setPending(true);
    const { name, email, password } = form.values;
    const result = await reach((signal) => authClient.signUp.email({ name: name.trim(), email: email.trim(), password }, { signal }));
    if (result.reached && !result.value.error) {
      // By default sign-up signs the user in (a session and its token); in strict mode
      // (REQUIRE_EMAIL_VERIFICATION=true) it signs nobody in: the emailed link does.
      router.replace(result.value.data?.token ? "/dashboard" : "/check-email");
      router.refresh();
      return;
    }
    setPending(false);
    const errors = result.reached ? accountErrors(result.value.error!, "sign-up") : { form: NETWORK_ERROR_MESSAGE };
    if (result.reached) {
      setCommon(commonVerdict(result.value.error!));
      setExisting(isExistingAccount(result.value.error!));
    }
    form.setServerErrors(errors);
    focusById(IDS[form.firstInvalid(errors) ?? "form"]);
  }

  return (
    <form className="grid gap-5" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label="Create account">
      <FormError id={IDS.form} message={form.errors.form} />
      {/* maxLength counts UTF-16 units, the rule code points (an emoji is two units): room for both. */}
      <Field id={IDS.name} name="name" label="Name" type="text" autoComplete="name" required maxLength={NAME_MAX_CODE_POINTS * 2} error={form.errors.name} {...form.bind("name")} />
      <Field
        id={IDS.email}
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        maxLength={EMAIL_MAX_LENGTH}
        error={form.errors.email}
        hintId="email-existing"
        hint={
          existing && form.errors.email ? (
            <p id="email-existing" className="m-0 flex gap-4 text-sm">
              <Link href="/sign-in">Sign in</Link>
              <Link href="/forgot-password">Reset your password</Link>
            </p>
          ) : undefined
        }
        {...form.bind("email")}
      />
      <Field
        id={IDS.password}
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        error={form.errors.password}
        hintId="password-rules"
        hint={<PasswordRules id="password-rules" policy={policy} password={form.values.password} common={common} />}
        {...form.bind("password")}
        onChange={(e) => {
          form.set("password", e.target.value);
          setCommon("unknown");
        }}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
