import { describe, expect, it } from "vitest";
import { commonVerdict } from "./password-rules";

describe("commonVerdict: what a refused submit says about the common-password rule", () => {
  it("failed when the server names it", () => {
    expect(commonVerdict({ status: 422, code: "PASSWORD_TOO_COMMON", fields: [{ field: "password", code: "PASSWORD_TOO_COMMON" }] })).toBe("failed");
    expect(commonVerdict({ status: 422, code: "NAME_REQUIRED", fields: [{ field: "name", code: "NAME_REQUIRED" }, { field: "password", code: "PASSWORD_TOO_COMMON" }] })).toBe("failed");
  });

  it("passed when the account rules judged the whole body without naming it, or a later step refused", () => {
    expect(commonVerdict({ status: 422, code: "NAME_REQUIRED", fields: [{ field: "name", code: "NAME_REQUIRED" }] })).toBe("passed");
    expect(commonVerdict({ status: 422, code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" })).toBe("passed");
    expect(commonVerdict({ status: 400, code: "INVALID_PASSWORD" })).toBe("passed");
  });

  it("unknown when nothing judged it (rate limited, unavailable)", () => {
    expect(commonVerdict({ status: 429, code: "RATE_LIMITED" })).toBe("unknown");
    expect(commonVerdict({ status: 503, code: "DATABASE_UNAVAILABLE" })).toBe("unknown");
    expect(commonVerdict({ status: 422 })).toBe("unknown");
  });
});
