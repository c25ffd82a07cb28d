import { beforeAll, describe, expect, it } from "vitest";
import { loadStrengthJudge, strengthInputs, type StrengthJudge } from "@/lib/password-strength";
import { checklist, LONG_NOTICE_FROM, passwordRefusal, type ChecklistInput } from "./password-check";

let judge: StrengthJudge;
beforeAll(async () => {
  judge = await loadStrengthJudge();
});

const items = (input: Partial<ChecklistInput> & { password: string }) =>
  checklist({ policy: "composition", judge: (pw) => judge(pw, []), status: "ready", marked: false, ...input });
const state = (input: Partial<ChecklistInput> & { password: string }, code: string) => items(input).find((i) => i.code === code);

describe("the password checklist", () => {
  it("ticks what is met, leaves the rest neutral until the field is judged, then marks it failed", () => {
    expect(items({ password: "" }).map((i) => i.state)).toEqual(["unmet", "unmet", "unmet", "unmet", "unmet"]);
    expect(items({ password: "abc" }).map((i) => [i.code, i.state])).toEqual([
      ["PASSWORD_TOO_SHORT", "unmet"],
      ["PASSWORD_NEEDS_UPPERCASE", "unmet"],
      ["PASSWORD_NEEDS_LOWERCASE", "met"],
      ["PASSWORD_NEEDS_DIGIT", "unmet"],
      ["PASSWORD_TOO_WEAK", "unmet"],
    ]);
    expect(items({ password: "abc", marked: true }).filter((i) => i.state === "failed").map((i) => i.code)).toEqual([
      "PASSWORD_TOO_SHORT",
      "PASSWORD_NEEDS_UPPERCASE",
      "PASSWORD_NEEDS_DIGIT",
    ]);
  });

  it("never ticks the upper bound before the user could fail it", () => {
    expect(items({ password: "a" }).some((i) => i.code === "PASSWORD_TOO_LONG")).toBe(false);
    expect(items({ password: "Correct-Horse-9-battery" }).some((i) => i.code === "PASSWORD_TOO_LONG")).toBe(false);
    const near = "Correct-Horse-9-battery-" + "x".repeat(LONG_NOTICE_FROM - 24);
    expect(state({ password: near }, "PASSWORD_TOO_LONG")).toMatchObject({ state: "met", note: "16 left" });
    expect(state({ password: near + "y".repeat(17) }, "PASSWORD_TOO_LONG")).toMatchObject({ state: "failed", note: "1 too many" });
  });

  it("says why a password is easy to guess, in one sentence, and fails it once judged", () => {
    const weak = state({ password: "Password123!" }, "PASSWORD_TOO_WEAK");
    expect(weak).toMatchObject({ state: "unmet", note: expect.stringMatching(/^This is too close to a password many people use; /) });
    expect(state({ password: "Password123!", marked: true }, "PASSWORD_TOO_WEAK")!.state).toBe("failed");
    expect(state({ password: "Correct-Horse-9-battery" }, "PASSWORD_TOO_WEAK")).toEqual({ code: "PASSWORD_TOO_WEAK", label: "Hard to guess", state: "met" });
  });

  it("binds the user's own words the way the server does", () => {
    const inputs = strengthInputs("Ada Lovelace", "ada@example.test");
    expect(state({ password: "Lovelace2024!", judge: (pw) => judge(pw, inputs) }, "PASSWORD_TOO_WEAK")!.note).toMatch(/your name or email address/);
  });

  it("without the dictionaries, leaves the strength rule to the server and shows its verdict", () => {
    expect(state({ password: "Password123!", judge: undefined, status: "loading" }, "PASSWORD_TOO_WEAK")).toMatchObject({ state: "pending", note: "checking…" });
    expect(state({ password: "Password123!", judge: undefined, status: "failed" }, "PASSWORD_TOO_WEAK")).toMatchObject({ state: "pending", note: "checked when you submit" });
    const refused = [{ code: "PASSWORD_TOO_WEAK" as const, message: "This is one of the most used passwords; add a word or two that only you would pick." }];
    expect(state({ password: "Password123!", judge: undefined, status: "failed", refused }, "PASSWORD_TOO_WEAK")).toMatchObject({ state: "failed", note: refused[0]!.message });
  });
});

describe("passwordRefusal: the server's refusal split between the checklist and the field", () => {
  it("puts the checklist's rules on the checklist and anything else on the field", () => {
    const error = {
      status: 422,
      fields: [
        { field: "name", code: "NAME_REQUIRED", message: "Enter your name." },
        { field: "password", code: "PASSWORD_TOO_WEAK", message: "A date is easy to guess; add a word or two that only you would pick." },
        { field: "password", code: "PASSWORD_UNCHANGED", message: "Choose a new password that is different from your current one." },
      ],
    };
    expect(passwordRefusal(error)).toEqual({
      refused: [{ code: "PASSWORD_TOO_WEAK", message: "A date is easy to guess; add a word or two that only you would pick." }],
      other: "Choose a new password that is different from your current one.",
    });
    expect(passwordRefusal({ status: 429, code: "RATE_LIMITED" })).toEqual({ refused: [], other: undefined });
  });
});
