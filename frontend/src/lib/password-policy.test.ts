import { describe, expect, it } from "vitest";
import { isCommonPassword, loadCommonPasswords } from "@/server/common-passwords";
import { checkPassword, countCodePoints, passwordRules } from "./password-policy";

const codes = (pw: string, policy: "composition" | "length-only" = "composition") =>
  checkPassword(pw, policy, isCommonPassword).map((f) => f.code);

describe("password policy (composition)", () => {
  it("accepts a password with upper, lower and digit of 8 code points", () => {
    expect(codes("Tr4mpoline")).toEqual([]);
  });

  it("refuses 7 code points and accepts 8", () => {
    expect(codes("Zq7wXk2")).toEqual(["PASSWORD_TOO_SHORT"]);
    expect(codes("Zq7wXk2m")).toEqual([]);
  });

  it("accepts 128 code points and refuses 129, never truncating", () => {
    const base = "Aa1" + "x".repeat(125);
    expect(countCodePoints(base)).toBe(128);
    expect(codes(base)).toEqual([]);
    expect(codes(base + "y")).toEqual(["PASSWORD_TOO_LONG"]);
  });

  it("counts code points, not UTF-16 units", () => {
    // 8 emoji are 16 UTF-16 units but 8 code points; with Aa1 that is 11 code points.
    const emoji = "Aa1" + "😀".repeat(125);
    expect(emoji.length).toBe(253);
    expect(codes(emoji)).toEqual([]);
    expect(codes("Aa1😀😀😀😀")).toEqual(["PASSWORD_TOO_SHORT"]);
  });

  it("names each missing character class", () => {
    expect(codes("alllowercase1")).toEqual(["PASSWORD_NEEDS_UPPERCASE"]);
    expect(codes("ALLUPPERCASE1")).toEqual(["PASSWORD_NEEDS_LOWERCASE"]);
    expect(codes("NoDigitsHere")).toEqual(["PASSWORD_NEEDS_DIGIT"]);
    expect(codes("zqkwv")).toEqual(["PASSWORD_TOO_SHORT", "PASSWORD_NEEDS_UPPERCASE", "PASSWORD_NEEDS_DIGIT"]);
  });

  it("accepts non-ASCII letters as upper and lower case", () => {
    expect(codes("Ärger über 9 Öfen")).toEqual([]);
  });

  it("refuses common passwords whatever their case", () => {
    expect(codes("Password1")).toEqual(["PASSWORD_TOO_COMMON"]);
    expect(codes("QWERTY123", "length-only")).toEqual(["PASSWORD_TOO_COMMON"]);
  });
});

describe("password policy (length-only, NIST SP 800-63B)", () => {
  it("has no composition rules", () => {
    expect(codes("correct horse battery staple", "length-only")).toEqual([]);
    expect(passwordRules("length-only").map((r) => r.code)).toEqual([
      "PASSWORD_TOO_SHORT",
      "PASSWORD_TOO_LONG",
      "PASSWORD_TOO_COMMON",
    ]);
  });

  it("still bounds length", () => {
    expect(codes("abcdefg", "length-only")).toEqual(["PASSWORD_TOO_SHORT"]);
  });
});

describe("browser-side check", () => {
  it("skips the common-password rule without the server's list", () => {
    expect(checkPassword("Password1", "composition")).toEqual([]);
  });
});

describe("common password list", () => {
  it("ships 10,000 entries and finds the usual suspects", () => {
    const list = loadCommonPasswords();
    expect(list.size).toBe(10000);
    for (const pw of ["123456", "password", "iloveyou", "passw0rd"]) expect(list.has(pw)).toBe(true);
    expect(isCommonPassword("a-rare-Passphrase-42")).toBe(false);
  });
});
