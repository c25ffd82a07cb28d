// What the password checklist (password-rules.tsx) shows for each rule, and how a form reads the
// server's refusal of a password: the checklist is the only place that states the rules
// (src/lib/password-policy.ts), so a refused submit marks it instead of repeating them in a message.
import {
  checkPassword,
  countCodePoints,
  PASSWORD_MAX_CODE_POINTS,
  passwordRules,
  type PasswordFailure,
  type PasswordPolicyName,
  type PasswordRuleCode,
} from "@/lib/password-policy";

/** The strength dictionaries: not asked for yet, on their way, here, or unreachable (the server judges). */
export type JudgeStatus = "idle" | "loading" | "ready" | "failed";
export type RuleState = "met" | "unmet" | "failed" | "pending";

export interface ChecklistItem {
  code: PasswordRuleCode;
  label: string;
  state: RuleState;
  /** A short note after the label (why it is easy to guess, characters left, still checking). */
  note?: string;
}

/** The upper bound is shown only from here on: before, nobody could fail it, so it is never ticked for nothing. */
export const LONG_NOTICE_FROM = PASSWORD_MAX_CODE_POINTS - 16;

/** What a form's password field holds when its problems are on the checklist (never shown as text). */
export const SEE_CHECKLIST = "The password does not meet the rules in the list.";

/** The text a password field shows under itself: none when the checklist says it. */
export const shownPasswordError = (error: string | undefined): string | undefined => (error === SEE_CHECKLIST ? undefined : error);

export interface ChecklistInput {
  policy: PasswordPolicyName;
  password: string;
  /** The strength judge with the user's own words bound in; absent until the dictionaries are here. */
  judge?: (password: string) => { strong: boolean; message?: string };
  status: JudgeStatus;
  /** The field has been judged (a refused submit, or changed since): unmet rules show as failed. */
  marked: boolean;
  /** Rules the server refused this password for (its one-sentence reasons), until the password changes. */
  refused?: readonly PasswordFailure[];
}

function strengthItem(input: ChecklistInput, label: string, failures: Map<string, string>, lengthOk: boolean): ChecklistItem {
  const code = "PASSWORD_TOO_WEAK";
  const server = input.refused?.find((f) => f.code === code);
  if (server) return { code, label, state: "failed", note: server.message };
  if (input.password === "" || !lengthOk) return { code, label, state: "unmet" };
  if (!input.judge) return { code, label, state: "pending", note: input.status === "loading" ? "checking…" : "checked when you submit" };
  const message = failures.get(code);
  if (message === undefined) return { code, label, state: "met" };
  return { code, label, state: input.marked ? "failed" : "unmet", note: message };
}

/** The checklist's items, in the policy's order. */
export function checklist(input: ChecklistInput): ChecklistItem[] {
  const failures = new Map(checkPassword(input.password, input.policy, input.judge).map((f) => [f.code as string, f.message]));
  const count = countCodePoints(input.password);
  const lengthOk = !failures.has("PASSWORD_TOO_SHORT") && !failures.has("PASSWORD_TOO_LONG");
  const items: ChecklistItem[] = [];
  for (const rule of passwordRules(input.policy)) {
    if (rule.needsJudge) {
      items.push(strengthItem(input, rule.label, failures, lengthOk));
    } else if (rule.code === "PASSWORD_TOO_LONG") {
      if (count < LONG_NOTICE_FROM) continue;
      const over = count - PASSWORD_MAX_CODE_POINTS;
      items.push({ code: rule.code, label: rule.label, state: over > 0 ? "failed" : "met", note: over > 0 ? `${over} too many` : `${-over} left` });
    } else {
      const fails = failures.has(rule.code) || input.refused?.some((f) => f.code === rule.code);
      const state = !fails ? (input.password ? "met" : "unmet") : input.marked ? "failed" : "unmet";
      items.push({ code: rule.code, label: rule.label, state });
    }
  }
  return items;
}

const CHECKLIST_CODES = new Set<string>(["PASSWORD_TOO_SHORT", "PASSWORD_TOO_LONG", "PASSWORD_NEEDS_UPPERCASE", "PASSWORD_NEEDS_LOWERCASE", "PASSWORD_NEEDS_DIGIT", "PASSWORD_TOO_WEAK"]);

interface RefusalBody {
  fields?: ReadonlyArray<{ field: string; code?: string; message: string }>;
}

/**
 * The server's refusal of a password, split: the rules the checklist marks (with the server's
 * reasons), and any other sentence about the password (unchanged password, missing) for the field.
 */
export function passwordRefusal(error: object, field = "password"): { refused: PasswordFailure[]; other?: string } {
  const fields = (error as RefusalBody).fields;
  const mine = (Array.isArray(fields) ? fields : []).filter((f) => f.field === field);
  const refused = mine.filter((f) => f.code && CHECKLIST_CODES.has(f.code)).map((f) => ({ code: f.code as PasswordRuleCode, message: f.message }));
  const other = mine.filter((f) => !(f.code && CHECKLIST_CODES.has(f.code))).map((f) => f.message).join(" ");
  return { refused, other: other || undefined };
}
