"use client";
// The password rules, shown before submit and ticked as the user types: the same definition the
// server enforces (src/lib/password-policy.ts). The common-password rule is judged on the server.
import { passwordRules, type PasswordPolicyName } from "@/lib/password-policy";

export function PasswordRules({ policy, password, id }: { policy: PasswordPolicyName; password: string; id: string }) {
  return (
    <ul className="rules" id={id} aria-label="Password rules">
      {passwordRules(policy).map((rule) => {
        const met = rule.serverOnly ? undefined : password.length > 0 && rule.passes(password, () => false);
        return (
          <li key={rule.code} data-met={met ? "true" : "false"}>
            {rule.label}
          </li>
        );
      })}
    </ul>
  );
}
