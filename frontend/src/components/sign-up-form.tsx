"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { checkPassword, type PasswordFailure, type PasswordPolicyName } from "@/lib/password-policy";
import { checkEmail, checkName, EMAIL_MAX_LENGTH, NAME_MAX_CODE_POINTS } from "@/lib/profile-rules";
import { rememberSentTo } from "./account/sent-to";
import { accountErrors, isExistingAccount } from "./auth-errors";
import { NewPasswordField } from "./new-password-field";
import { passwordRefusal, SEE_CHECKLIST } from "./password-check";
import { usePasswordStrength } from "./password-rules";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { Field } from "./ui/field";
import { FormError } from "./ui/form-error";
import { focusById, useFields } from "./use-fields";
import { SubmitButton } from "@/components/ui/submit-button";

const IDS = { name: "name", email: "email", password: "password", form: "sign-up-error" } as const;
const RULES_ID = "password-rules";

/** The form's state and its submit: the server's answer shown field by field, focus to the first problem. */
function useSignUp(policy: PasswordPolicyName) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const strength = usePasswordStrength();
  // Rules the server refused the password for (with its reasons), until the password changes.
  const [refused, setRefused] = useState<PasswordFailure[]>([]);
  // The address already has an account (the default mode says so): links to sign in or reset, until it changes.
  const [existing, setExisting] = useState(false);
  // The server's rules (src/lib/profile-rules.ts, src/lib/password-policy.ts), judged here first;
  // the password's are stated by the checklist alone.
  const form = useFields({ name: "", email: "", password: "" }, (v) => ({
    name: checkName(v.name.trim())[0]?.message,
    email: checkEmail(v.email.trim())[0]?.message,
    password: checkPassword(v.password, policy, strength.judgeFor(v.name.trim(), v.email.trim())).length ? SEE_CHECKLIST : undefined,
  }));
  const focusField = (key: keyof typeof IDS, errors: Partial<Record<string, string>>) =>
    focusById(key === "password" && errors.password === SEE_CHECKLIST ? RULES_ID : IDS[key]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const local = form.submit();
    const first = form.firstInvalid(local);
    if (first) return focusField(first, local);

    setPending(true);
    const { name, email, password } = form.values;
    const result = await reach((signal) => authClient.signUp.email({ name: name.trim(), email: email.trim(), password }, { signal }));
    if (result.reached && !result.value.error) {
      // By default sign-up signs the user in (a session and its token); in strict mode
      // (REQUIRE_EMAIL_VERIFICATION=true) it signs nobody in: the emailed link does.
      // Strict mode: /check-email names the address and resends with one click (sent-to.ts).
      if (!result.value.data?.token) rememberSentTo(email.trim());
      router.replace(result.value.data?.token ? "/dashboard" : "/check-email");
      router.refresh();
      return;
    }
    setPending(false);
    const errors = result.reached ? accountErrors(result.value.error!, "sign-up") : { form: NETWORK_ERROR_MESSAGE };
    if (result.reached) {
      const refusal = passwordRefusal(result.value.error!);
      setRefused(refusal.refused);
      if (refusal.refused.length) errors.password = refusal.other ?? SEE_CHECKLIST;
      setExisting(isExistingAccount(result.value.error!));
    }
    form.setServerErrors(errors);
    focusField(form.firstInvalid(errors) ?? "form", errors);
  }

  return { pending, strength, refused, setRefused, existing, form, onSubmit };
}

export function SignUpForm({ policy }: { policy: PasswordPolicyName }) {
  const { pending, strength, refused, setRefused, existing, form, onSubmit } = useSignUp(policy);
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
      <NewPasswordField
        id={IDS.password}
        name="password"
        rulesId={RULES_ID}
        label="Password"
        policy={policy}
        strength={strength}
        error={form.errors.password}
        refused={refused}
        user={{ name: form.values.name.trim(), email: form.values.email.trim() }}
        value={form.values.password}
        onBlur={form.bind("password").onBlur}
        onChange={(value) => {
          form.set("password", value);
          setRefused([]);
        }}
      />
      <SubmitButton disabled={pending} className="w-full">
        {pending ? "Creating account…" : "Create account"}
      </SubmitButton>
    </form>
  );
}
