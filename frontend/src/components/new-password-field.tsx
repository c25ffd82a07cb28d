"use client";
// A field that sets a new password, with its checklist as the only statement of the rules
// (password-rules.tsx): the field is invalid (aria-invalid, red border) while the checklist marks a
// rule, and shows text of its own only for what is not a rule (e.g. "the same as the current one").
// Focusing it starts loading the strength dictionaries.
import type { PasswordFailure, PasswordPolicyName } from "@/lib/password-policy";
import { shownPasswordError } from "./password-check";
import { PasswordRules, rulesDescription, type PasswordStrength } from "./password-rules";
import { Field } from "./ui/field";

interface NewPasswordFieldProps {
  id: string;
  /** The checklist's id: where focus goes after a refused submit. */
  rulesId: string;
  label: string;
  name?: string;
  policy: PasswordPolicyName;
  strength: PasswordStrength;
  /** The form's error for the field (SEE_CHECKLIST when the checklist says it). */
  error?: string;
  refused: readonly PasswordFailure[];
  /** The user's own name and email, as the form sends them (sign-up). */
  user?: { name: string; email: string };
  value: string;
  onBlur: () => void;
  onChange: (value: string) => void;
}

export function NewPasswordField({ id, rulesId, label, name, policy, strength, error, refused, user, value, onBlur, onChange }: NewPasswordFieldProps) {
  return (
    <Field
      id={id}
      name={name}
      label={label}
      type="password"
      autoComplete="new-password"
      required
      error={shownPasswordError(error)}
      aria-invalid={error ? true : undefined}
      hintId={rulesDescription(rulesId)}
      hint={<PasswordRules id={rulesId} policy={policy} password={value} strength={strength} name={user?.name} email={user?.email} marked={Boolean(error)} refused={refused} />}
      value={value}
      onBlur={onBlur}
      onFocus={strength.load}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
