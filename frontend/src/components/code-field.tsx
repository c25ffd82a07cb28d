// The field of a two-step code: the authenticator app's 6-digit code (digits, spaces allowed, the
// browser's one-time-code autofill), or one of the backup codes. Used by the sign-in's second step
// (two-factor-form.tsx) and by the codes asked while signed in (account/two-factor-code-form.tsx).
import { Field } from "./ui/field";

export function CodeField({ id, kind, value, onChange }: { id: string; kind: "totp" | "backup"; value: string; onChange: (value: string) => void }) {
  if (kind === "backup") {
    return <Field id={id} name="code" label="Backup code" autoComplete="off" autoCapitalize="none" spellCheck={false} maxLength={32} autoFocus value={value} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <Field
      id={id}
      name="code"
      label="Code from your authenticator app"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9 ]*"
      maxLength={7}
      autoFocus
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
