import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { beforeAll, describe, expect, it } from "vitest";
import { accountFieldErrors, WRITES_BY_PATH } from "@/server/password-hook";
import { checkPassword, countCodePoints, passwordRules, withInputs, type PasswordPolicyName } from "./password-policy";
import { ESTIMATOR_LIMITS, loadStrengthJudge, strengthInputs, strengthMessage, STRENGTH_WARNINGS, type StrengthJudge } from "./password-strength";

let judge: StrengthJudge;
beforeAll(async () => {
  judge = await loadStrengthJudge();
});

const codes = (pw: string, policy: PasswordPolicyName = "composition") => checkPassword(pw, policy, withInputs(judge, [])).map((f) => f.code);
const sentences = (s: string) => s.split(/(?<=[.!?])\s+(?=\p{Lu})/u).length;

// Strong enough for zxcvbn, so only the rule under test can fail.
const STRONG = "Tangerine-Oboe-Quilt";

describe("password policy (composition)", () => {
  it("accepts a password with upper, lower and digit that is hard to guess", () => {
    expect(codes("Zq7wXk2mRv")).toEqual([]);
  });

  it("refuses 7 code points and accepts 8 (zxcvbn rates 8 random characters easy to guess: 10^8 guesses)", () => {
    expect(codes("Zq7wXk2")).toEqual(["PASSWORD_TOO_SHORT"]);
    expect(codes("Zq7wXk2m")).toEqual(["PASSWORD_TOO_WEAK"]);
  });

  it("accepts 128 code points and refuses 129, never truncating", () => {
    const base = `${STRONG}-9-` + "x".repeat(128 - STRONG.length - 3);
    expect(countCodePoints(base)).toBe(128);
    expect(codes(base)).toEqual([]);
    expect(codes(base + "y")).toEqual(["PASSWORD_TOO_LONG"]);
  });

  it("counts code points, not UTF-16 units", () => {
    const emoji = "Aa1" + "😀🎻🌵🦉🧲".repeat(25);
    expect(emoji.length).toBe(253);
    expect(countCodePoints(emoji)).toBe(128);
    expect(codes(emoji)).toEqual([]);
    expect(codes("Aa1😀🎻🌵🦉")).toEqual(["PASSWORD_TOO_SHORT"]);
  });

  it("names each missing character class", () => {
    expect(codes("tangerine-oboe-quilt1")).toEqual(["PASSWORD_NEEDS_UPPERCASE"]);
    expect(codes("TANGERINE-OBOE-QUILT1")).toEqual(["PASSWORD_NEEDS_LOWERCASE"]);
    expect(codes(STRONG)).toEqual(["PASSWORD_NEEDS_DIGIT"]);
    expect(codes("zqkwv")).toEqual(["PASSWORD_TOO_SHORT", "PASSWORD_NEEDS_UPPERCASE", "PASSWORD_NEEDS_DIGIT"]);
  });

  it("accepts non-ASCII letters as upper and lower case", () => {
    expect(codes("Ärger über 9 Öfen")).toEqual([]);
  });
});

describe("hard to guess (zxcvbn)", () => {
  it("refuses the passwords people pick, each with one sentence that says why", () => {
    for (const pw of ["Password123!", "Welcome2024!", "Qwerty123!", "Password1", "P@ssw0rd2024"]) {
      const failures = checkPassword(pw, "composition", withInputs(judge, []));
      expect(failures.map((f) => f.code), pw).toEqual(["PASSWORD_TOO_WEAK"]);
      expect(sentences(failures[0]!.message), failures[0]!.message).toBe(1);
      expect(failures[0]!.message).toMatch(/; add a word or two that only you would pick\.$/);
    }
    expect(checkPassword("Password123!", "composition", withInputs(judge, []))[0]!.message).toBe(strengthMessage(STRENGTH_WARNINGS.similarToCommon));
  });

  it("refuses them under length-only too", () => {
    expect(codes("QWERTY123", "length-only")).toEqual(["PASSWORD_TOO_WEAK"]);
    expect(codes("aaaaaaaaaaaa", "length-only")).toEqual(["PASSWORD_TOO_WEAK"]);
  });

  it("accepts the passwords the test suites use", () => {
    for (const pw of [
      "Correct-Horse-9-battery",
      "Another-Horse-8-staple",
      "Another-Horse-7-battery",
      "Brand-new-Passw0rd-42",
      "Third-Horse-5-staple",
      "Bench-Pass-4fK9q2",
      "Analytical-Engine-1843",
      "not-what-they-set-1A",
    ]) {
      expect(codes(pw), pw).toEqual([]);
    }
  });

  it("refuses a password built on the user's own name or email", () => {
    const inputs = strengthInputs("Ada Lovelace", "ada.lovelace@example.test");
    expect(checkPassword("Lovelace2024!", "composition", withInputs(judge, inputs)).map((f) => f.message)).toEqual([
      strengthMessage(STRENGTH_WARNINGS.userInputs),
    ]);
    expect(inputs).toEqual(expect.arrayContaining(["Ada Lovelace", "Lovelace", "ada.lovelace@example.test", "ada.lovelace", "lovelace"]));
  });
});

describe("hard to guess (zxcvbn): who judges, and at what cost", () => {
  it("is not judged without a judge (a form whose dictionaries have not arrived), nor past the length bounds", () => {
    expect(checkPassword("Password123!", "composition")).toEqual([]);
    let calls = 0;
    const counting = (pw: string) => (calls++, judge(pw));
    checkPassword("Pass1", "composition", counting);
    checkPassword("Aa1" + "x".repeat(200), "composition", counting);
    expect(calls).toBe(0);
  });

  it("gives the form and the server the same verdict", () => {
    const corpus = ["Password123!", "Welcome2024!", "Qwerty123!", "Correct-Horse-9-battery", "Lovelace2024!", "Ada-Lovelace-1843", "Tr4mpoline", "short"];
    for (const password of corpus) {
      const body = { name: "Ada Lovelace", email: "ada.lovelace@example.test", password };
      const server = accountFieldErrors(WRITES_BY_PATH["/sign-up/email"]!, body, "composition", judge).filter((e) => e.field === "password");
      const form = checkPassword(password, "composition", withInputs(judge, strengthInputs(body.name, body.email)));
      expect(server.map(({ code, message }) => ({ code, message })), password).toEqual(form);
    }
  });

  it("bounds the server's work on a long random password (zxcvbn's defaults take many times longer)", () => {
    const random = Array.from({ length: 128 }, (_, i) => "aZ0-9_!@$|4bY3xW7"[(i * 7919) % 17]).join("");
    const unbounded = new ZxcvbnFactory({ graphs: common.adjacencyGraphs, dictionary: { ...common.dictionary, ...en.dictionary } });
    const time = (f: () => unknown) => {
      const start = performance.now();
      f();
      return performance.now() - start;
    };
    judge("warm-up-Password-1");
    unbounded.check("warm-up-Password-1");
    const ours = time(() => judge(random));
    const theirs = time(() => unbounded.check(random));
    expect(ours * 3, `bounded ${ours.toFixed(0)} ms, defaults ${theirs.toFixed(0)} ms`).toBeLessThan(theirs);
    expect(ESTIMATOR_LIMITS.maxLength).toBeLessThanOrEqual(64);
  });

  it("loads the dictionaries once", async () => {
    expect(await loadStrengthJudge()).toBe(judge);
  });
});

describe("password policy (length-only, NIST SP 800-63B)", () => {
  it("has no composition rules", () => {
    expect(codes("correct horse battery staple", "length-only")).toEqual([]);
    expect(passwordRules("length-only").map((r) => r.code)).toEqual(["PASSWORD_TOO_SHORT", "PASSWORD_TOO_LONG", "PASSWORD_TOO_WEAK"]);
  });

  it("still bounds length", () => {
    expect(codes("abcdefg", "length-only")).toEqual(["PASSWORD_TOO_SHORT"]);
  });
});
