// THE password policy: one definition used by the server hook (src/server/password-hook.ts)
// and by the sign-up / change-password forms (rules shown before submit).
// Lengths are counted in Unicode code points and a password is never truncated.
// `composition` = 8–128 code points + upper + lower + digit + not common (the product spec);
// `length-only` = NIST SP 800-63B: 8–128 code points + not common, no composition rules.

export const PASSWORD_MIN_CODE_POINTS = 8;
export const PASSWORD_MAX_CODE_POINTS = 128;

export type PasswordPolicyName = "composition" | "length-only";

export type PasswordRuleCode =
  | "PASSWORD_TOO_SHORT"
  | "PASSWORD_TOO_LONG"
  | "PASSWORD_NEEDS_UPPERCASE"
  | "PASSWORD_NEEDS_LOWERCASE"
  | "PASSWORD_NEEDS_DIGIT"
  | "PASSWORD_TOO_COMMON";

export interface PasswordRule {
  code: PasswordRuleCode;
  /** Shown in the list of rules before submit. */
  label: string;
  /** Shown when the rule fails. */
  message: string;
  /** The common-password rule needs the server's list; the browser skips it. */
  serverOnly?: boolean;
  passes(password: string, isCommon: (password: string) => boolean): boolean;
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

const NOT_COMMON_RULE: PasswordRule = {
  code: "PASSWORD_TOO_COMMON",
  label: "Not a commonly used password",
  message: "This password is too common. Choose one that is harder to guess.",
  serverOnly: true,
  passes: (pw, isCommon) => !isCommon(pw),
};

export function passwordRules(policy: PasswordPolicyName): PasswordRule[] {
  return policy === "composition"
    ? [...LENGTH_RULES, ...COMPOSITION_RULES, NOT_COMMON_RULE]
    : [...LENGTH_RULES, NOT_COMMON_RULE];
}

export interface PasswordFailure {
  code: PasswordRuleCode;
  message: string;
}

/**
 * Every rule the password fails, in display order. `isCommon` is the server's list lookup;
 * the browser passes none, so the common-password rule is only judged on the server.
 */
export function checkPassword(
  password: string,
  policy: PasswordPolicyName,
  isCommon?: (password: string) => boolean,
): PasswordFailure[] {
  return passwordRules(policy)
    .filter((rule) => !(rule.serverOnly && !isCommon))
    .filter((rule) => !rule.passes(password, isCommon ?? (() => false)))
    .map(({ code, message }) => ({ code, message }));
}

/** Change password: the new password equals the current one (checked in the form and in src/server/password-hook.ts). */
export const PASSWORD_UNCHANGED = {
  code: "PASSWORD_UNCHANGED",
  message: "Choose a new password that is different from your current one.",
} as const;

/** The form of a password as looked up in the common list: case and width folded. */
export const commonPasswordKey = (password: string): string => password.normalize("NFKC").toLowerCase();
