import { describe, expect, it } from "vitest";
import { hasTwoFactor } from "./two-factor-user";

describe("hasTwoFactor", () => {
  it("is true only when the user's twoFactorEnabled is true", () => {
    expect(hasTwoFactor({ id: "u", twoFactorEnabled: true })).toBe(true);
    expect(hasTwoFactor({ id: "u", twoFactorEnabled: false })).toBe(false);
    expect(hasTwoFactor({ id: "u", twoFactorEnabled: null as unknown as undefined })).toBe(false);
    expect(hasTwoFactor({ id: "u" })).toBe(false);
  });
});
