"use client";
// A new password typed beside its checklist (password-rules.tsx, the only statement of the rules), in
// the forms that set one from an emailed link (reset-password-form.tsx, confirm-address-forms.tsx): the
// typed password, the strength judge, and the checklist marked by a refusal (the browser's, or the
// server's reasons) with focus moved to it, and `onMark` run (the form clears its own error). The field is
// invalid while the marked list shows a rule unmet.
import { useState, type ChangeEvent } from "react";
import { checkPassword, type PasswordFailure, type PasswordPolicyName } from "@/lib/password-policy";
import { rulesDescription, usePasswordStrength } from "../password-rules";
import { focusById } from "../use-fields";

export function useCheckedPassword(policy: PasswordPolicyName, rulesId: string, onMark: () => void) {
  const [password, setPassword] = useState("");
  const strength = usePasswordStrength();
  const [marked, setMarked] = useState(false);
  const [refused, setRefused] = useState<PasswordFailure[]>([]);
  const unmet = () => checkPassword(password, policy, strength.judgeFor()).length > 0;

  return {
    password,
    /** The password fails a rule, judged here before it is sent. */
    unmet,
    /** Marks the checklist (with the server's reasons, if any) and moves focus to it. */
    mark(serverSaid: PasswordFailure[] = []) {
      setMarked(true);
      setRefused(serverSaid);
      onMark();
      focusById(rulesId);
    },
    /** Empties the field and unmarks the checklist. */
    clear() {
      setPassword("");
      setMarked(false);
      setRefused([]);
    },
    /** The PasswordInput's props; `checked` false for a current password (no checklist, no judge). */
    inputProps: (checked = true) => ({
      value: password,
      onChange: (e: ChangeEvent<HTMLInputElement>) => {
        setPassword(e.target.value);
        setRefused([]);
      },
      "aria-describedby": checked ? rulesDescription(rulesId) : undefined,
      "aria-invalid": checked && marked && (unmet() || refused.length > 0) ? true : undefined,
      onFocus: checked ? strength.load : undefined,
    }),
    /** The PasswordRules' props. */
    rulesProps: { id: rulesId, policy, password, strength, marked, refused },
  };
}
