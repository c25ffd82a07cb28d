import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyCheckValue } from "./key-check-value";

describe("key check value", () => {
  it("is the first 16 hex digits of HMAC-SHA256(secret, label), as the backend computes it", () => {
    const secret = "a-real-test-secret-that-is-long-enough-0123456789";
    const expected = createHmac("sha256", secret).update("authbridge key check v1").digest("hex").slice(0, 16);
    expect(keyCheckValue(secret)).toBe(expected);
    expect(keyCheckValue(secret)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyCheckValue(secret)).not.toContain(secret.slice(0, 8));
  });
});
