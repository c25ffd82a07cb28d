import { describe, expect, it } from "vitest";
import { codeFailure } from "./use-two-factor-form";

describe("the second step's sentence for a refused code", () => {
  it("says what went wrong, in the server's words where they are written for people", () => {
    expect(codeFailure({ code: "INVALID_TWO_FACTOR_COOKIE", status: 401 }, "totp")).toEqual({
      message: "This sign-in expired or had too many wrong codes. Sign in again with your password.",
      expired: true,
    });
    expect(codeFailure({ code: "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE", status: 400 }, "totp").expired).toBe(true);
    expect(codeFailure({ code: "RATE_LIMITED", status: 429, message: "Too many attempts. Please try again in 30 seconds." }, "totp")).toEqual({
      message: "Too many attempts. Please try again in 30 seconds.",
    });
    expect(codeFailure({ code: "INVALID_CODE", status: 401, message: "This code was used already. Wait for the next one." }, "totp")).toEqual({
      message: "This code was used already. Wait for the next one.",
    });
    expect(codeFailure({ code: "INVALID_CODE", status: 401, message: "Invalid code" }, "totp").message).toBe("That code is not right. Enter the newest code your app shows.");
    expect(codeFailure({ code: "INVALID_BACKUP_CODE", status: 401 }, "backup").message).toMatch(/^That backup code is not right/);
    expect(codeFailure({ status: 503 }, "totp").message).toMatch(/temporarily unavailable/);
    expect(codeFailure({ status: 500 }, "totp").message).toBe("Could not check the code right now. Please try again.");
  });
});
