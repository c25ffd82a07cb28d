import { describe, expect, it } from "vitest";
import { NETWORK_ERROR_MESSAGE } from "@/components/reach";
import { backupCodesFile, codesLeftLine, groupedKey, keyOf, twoFactorFailure } from "./two-factor-words";

describe("two-step sign-in in words", () => {
  it("says one sentence for each refusal", () => {
    expect(twoFactorFailure(undefined, "password")).toBe(NETWORK_ERROR_MESSAGE);
    expect(twoFactorFailure({ code: "INVALID_PASSWORD", status: 400 }, "password")).toBe("That is not your password.");
    expect(twoFactorFailure({ code: "RATE_LIMITED", status: 429, message: "Too many attempts. Please try again in 30 seconds." }, "totp")).toBe(
      "Too many attempts. Please try again in 30 seconds.",
    );
    expect(twoFactorFailure({ status: 429 }, "totp")).toBe("Too many attempts. Please try again in a minute.");
    expect(twoFactorFailure({ code: "INVALID_CODE", status: 401, message: "Invalid code" }, "totp")).toBe("That code is not right. Enter the newest code your app shows.");
    expect(twoFactorFailure({ code: "INVALID_CODE", status: 401, message: "This code was used already. Wait for the next one." }, "totp")).toBe(
      "This code was used already. Wait for the next one.",
    );
    expect(twoFactorFailure({ code: "INVALID_BACKUP_CODE", status: 401 }, "backup")).toMatch(/^That backup code is not right/);
    expect(twoFactorFailure({ status: 503 }, "password")).toMatch(/temporarily unavailable/);
    expect(twoFactorFailure({ status: 500 }, "password")).toBe("Could not change two-step sign-in right now. Please try again.");
    expect(twoFactorFailure({ status: 500 }, "backup")).toBe("Could not check the code right now. Please try again.");
  });

  it("reads the key of an otpauth URI and groups it by four", () => {
    const key = keyOf("otpauth://totp/authbridge:ada%40example.test?secret=JBSWY3DPEHPK3PXPAB&issuer=authbridge");
    expect(key).toBe("JBSWY3DPEHPK3PXPAB");
    expect(groupedKey(key)).toBe("JBSW Y3DP EHPK 3PXP AB");
    expect(keyOf("not a uri")).toBe("");
    expect(keyOf("otpauth://totp/x")).toBe("");
    expect(groupedKey("")).toBe("");
  });

  it("writes the backup codes file and the codes-left line", () => {
    const file = backupCodesFile(["aaaaa-bbbbb", "ccccc-ddddd"], "ada@example.test");
    expect(file.split("\n")).toContain("aaaaa-bbbbb");
    expect(file).toContain("ada@example.test");
    expect(codesLeftLine(10)).toBe("You have 10 backup codes left.");
    expect(codesLeftLine(1)).toBe("You have 1 backup code left. Make new ones soon.");
    expect(codesLeftLine(0)).toMatch(/^You have no backup codes left/);
  });
});
