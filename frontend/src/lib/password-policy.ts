// THE password policy: one definition used by the server hook (src/server/password-hook.ts)
// and by the forms that set a password (the checklist, src/components/password-rules.tsx).
// Lengths are counted in Unicode code points and a password is never truncated.
// `composition` = 8–128 code points + upper + lower + digit + hard to guess (the product spec);
// `length-only` = NIST SP 800-63B: 8–128 code points + hard to guess, no composition rules.
// "Hard to guess" is zxcvbn's estimate (src/lib/password-strength.ts), judged alike in both places.
import type { StrengthJudge } from "./password-strength";

export const PASSWORD_MIN_CODE_POINTS = 8;
export const PASSWORD_MAX_CODE_POINTS = 128;

export type PasswordPolicyName = "composition" | "length-only";

export type PasswordRuleCode =
  | "PASSWORD_TOO_SHORT"
  | "PASSWORD_TOO_LONG"
  | "PASSWORD_NEEDS_UPPERCASE"
  | "PASSWORD_NEEDS_LOWERCASE"
  | "PASSWORD_NEEDS_DIGIT"
  | "PASSWORD_TOO_WEAK";

export interface PasswordRule {
  code: PasswordRuleCode;
  /** Shown in the list of rules before submit. */
  label: string;
  /** Said when the rule fails (the strength rule says why instead: its judge's one sentence). */
  message: string;
  /** The strength rule needs the judge (large dictionaries, loaded on first use); without it, it is not judged. */
  needsJudge?: boolean;
  passes(password: string): boolean;
}

export const countCodePoints = (s: string): number => [...s].length;

const LENGTH_RULES: PasswordRule[] = [
  {
    code: "PASSWORD_TOO_SHORT",
    label: `At least ${PASSWORD_MIN_CODE_POINTS} characters`,
    message: `Password must be at least ${PASSWORD_MIN_CODE_POINTS} characters long.`,
    passes: (pw) => countCodePoints(pw) >= PASSWORD_MIN_CODE_POINTS,
  },
  {
    code: "PASSWORD_TOO_LONG",
    label: `At most ${PASSWORD_MAX_CODE_POINTS} characters`,
    message: `Password must be at most ${PASSWORD_MAX_CODE_POINTS} characters long.`,
    passes: (pw) => countCodePoints(pw) <= PASSWORD_MAX_CODE_POINTS,
  },
];

const COMPOSITION_RULES: PasswordRule[] = [
  {
    code: "PASSWORD_NEEDS_UPPERCASE",
    label: "An uppercase letter",
    message: "Password must contain an uppercase letter.",
    passes: (pw) => /\p{Lu}/u.test(pw),
  },
  {
    code: "PASSWORD_NEEDS_LOWERCASE",
    label: "A lowercase letter",
    message: "Password must contain a lowercase letter.",
    passes: (pw) => /\p{Ll}/u.test(pw),
  },
  {
    code: "PASSWORD_NEEDS_DIGIT",
    label: "A digit",
    message: "Password must contain a digit.",
    passes: (pw) => /\p{Nd}/u.test(pw),
  },
];

const STRENGTH_RULE: PasswordRule = {
  code: "PASSWORD_TOO_WEAK",
  label: "Hard to guess",
  message: "This password would be easy to guess.",
  needsJudge: true,
  passes: () => true, // judged by checkPassword's `judge`
};

export function passwordRules(policy: PasswordPolicyName): PasswordRule[] {
  return policy === "composition" ? [...LENGTH_RULES, ...COMPOSITION_RULES, STRENGTH_RULE] : [...LENGTH_RULES, STRENGTH_RULE];
}

export interface PasswordFailure {
  code: PasswordRuleCode;
  message: string;
}

/**
 * Every rule the password fails, in display order. `judge` says how easy the password is to guess
 * (loadStrengthJudge(), with the user's own words bound in); without one, that rule is not judged
 * (a form whose dictionaries have not arrived: the server judges it). It is judged only once the
 * length is within bounds, so an over-long password never reaches the estimator.
 */
export function checkPassword(password: string, policy: PasswordPolicyName, judge?: (password: string) => { strong: boolean; message?: string }): PasswordFailure[] {
  const failures: PasswordFailure[] = passwordRules(policy)
    .filter((rule) => !rule.needsJudge && !rule.passes(password))
    .map(({ code, message }) => ({ code, message }));
  const lengthOk = !failures.some((f) => f.code === "PASSWORD_TOO_SHORT" || f.code === "PASSWORD_TOO_LONG");
  if (judge && lengthOk) {
    const verdict = judge(password);
    if (!verdict.strong) failures.push({ code: STRENGTH_RULE.code, message: verdict.message ?? STRENGTH_RULE.message });
  }
  return failures;
}

/** A judge with the user's own words (strengthInputs) bound in, the shape checkPassword takes. */
export const withInputs = (judge: StrengthJudge, userInputs: readonly string[]) => (password: string) => judge(password, userInputs);

/** Change password: the new password equals the current one (checked in the form and in src/server/password-hook.ts). */
export const PASSWORD_UNCHANGED = {
  code: "PASSWORD_UNCHANGED",
  message: "Choose a new password that is different from your current one.",
} as const;
