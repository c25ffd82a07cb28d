// AUTH_EVENT_RETENTION_DAYS (README.md "Configuration"): a whole number of days, at least 1 (the
// youngest row the database lets the retention delete), 365 when unset; anything else stops the
// start with one line naming it.
import { describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";

const GOOD = {
  BETTER_AUTH_SECRET: "a-real-test-secret-that-is-long-enough-0123456789",
  DATABASE_URL: "postgresql://u:p@localhost:5433/db?sslmode=require",
};

describe("AUTH_EVENT_RETENTION_DAYS", () => {
  it("defaults to a year and takes a whole number of days", () => {
    expect(parseServerEnv(GOOD).AUTH_EVENT_RETENTION_DAYS).toBe(365);
    expect(parseServerEnv({ ...GOOD, AUTH_EVENT_RETENTION_DAYS: "30" }).AUTH_EVENT_RETENTION_DAYS).toBe(30);
  });

  it.each([
    ["0", /must be at least 1/],
    ["-5", /must be at least 1/],
    ["1.5", /is not a whole number/],
    ["a year", /is not a number/],
  ])("refuses %s in one line", (value, problem) => {
    expect(() => parseServerEnv({ ...GOOD, AUTH_EVENT_RETENTION_DAYS: value })).toThrow(problem);
    expect(() => parseServerEnv({ ...GOOD, AUTH_EVENT_RETENTION_DAYS: value })).toThrow(/^config error: AUTH_EVENT_RETENTION_DAYS: .* Fix: set AUTH_EVENT_RETENTION_DAYS to /);
  });
});
