// The production settings of the frontend's configuration: the backend link rule, trusted origins
// for preview deployments, and the log format.
import { describe, expect, it } from "vitest";
import { backendLinkCase, describeBackendLink } from "./backend-link";
import { ConfigError, parseServerEnv } from "./env-schema";

const GOOD = {
  BETTER_AUTH_SECRET: "a-real-test-secret-that-is-long-enough-0123456789",
  DATABASE_URL: "postgresql://u:p@localhost:5433/db?sslmode=require&channel_binding=require",
};

function problemFor(overrides: Record<string, string | undefined>): ConfigError {
  try {
    parseServerEnv({ ...GOOD, ...overrides });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("the link to the backend", () => {
  it.each([
    ["https://api.example.com", [], "https"],
    ["http://localhost:8000", [], "loopback"],
    ["http://127.0.0.1:8000", [], "loopback"],
    ["http://[::1]:8000", [], "loopback"],
    ["http://backend:8000", ["backend"], "internal"],
    ["http://api.railway.internal:8000", ["*.railway.internal"], "internal"],
    ["http://a.b.railway.internal:8000", ["*.railway.internal"], "refused"], // `*` never crosses a dot
    ["http://app-api.railway.internal:8000", ["app-*.railway.internal"], "internal"],
    ["http://backend:8000", [], "refused"],
    ["http://backend.evil.com:8000", ["backend"], "refused"],
    ["http://127.0.0.1.evil.com", [], "refused"],
  ] as const)("%s with %j is %s", (url, hosts, expected) => {
    expect(backendLinkCase(url, hosts)).toBe(expected);
  });

  it("in production, refuses plain http to a host nobody vouched for, in one line naming the fix", () => {
    const e = problemFor({ NODE_ENV: "production", BACKEND_URL: "http://api.example.com:8000" });
    expect(e.variable).toBe("BACKEND_URL");
    expect(e.message).toMatch(/^config error: BACKEND_URL: is plain http to api\.example\.com:8000, which is neither loopback nor in BACKEND_INTERNAL_HOSTS/);
    expect(e.message).toContain("Fix: use https://");
    expect(e.message).not.toContain("\n");
  });

  it("in production, accepts https, loopback and a listed internal host", () => {
    for (const [BACKEND_URL, BACKEND_INTERNAL_HOSTS] of [
      ["https://api.example.com", undefined],
      ["http://localhost:8000", undefined],
      ["http://backend:8000", "backend, api.internal"],
    ] as const) {
      expect(() => parseServerEnv({ ...GOOD, NODE_ENV: "production", BACKEND_URL, BACKEND_INTERNAL_HOSTS })).not.toThrow();
    }
  });

  it("outside production, plain http anywhere stays allowed (development, tests)", () => {
    expect(() => parseServerEnv({ ...GOOD, NODE_ENV: "development", BACKEND_URL: "http://api.example.com" })).not.toThrow();
  });

  it("refuses an internal host list with schemes, ports or a bare *", () => {
    for (const value of ["http://backend", "backend:8000", "*"]) {
      expect(problemFor({ BACKEND_INTERNAL_HOSTS: value }).variable).toBe("BACKEND_INTERNAL_HOSTS");
    }
  });

  it("describes each accepted case in one line", () => {
    expect(describeBackendLink("http://backend:8000/x", "internal")).toBe(
      "backend link: http://backend:8000 is plain http to a host in BACKEND_INTERNAL_HOSTS (a private network you vouch for)",
    );
    expect(describeBackendLink("https://api.example.com", "https")).toBe("backend link: https://api.example.com over https");
  });
});

describe("trusted origins", () => {
  it("are a list of exact origins and narrow patterns", () => {
    const env = parseServerEnv({ ...GOOD, BETTER_AUTH_TRUSTED_ORIGINS: "https://www.example.com, https://app-*-team.vercel.app" });
    expect(env.BETTER_AUTH_TRUSTED_ORIGINS).toEqual(["https://www.example.com", "https://app-*-team.vercel.app"]);
    expect(parseServerEnv(GOOD).BETTER_AUTH_TRUSTED_ORIGINS).toBeUndefined();
  });

  it.each([
    ["https://*.vercel.app", "lets anyone's domain in"],
    ["https://*", "lets anyone's domain in"],
    ["https://app.example.com/", "is not an origin"],
    ["app.example.com", "is not an origin"],
  ])("refuses %s", (value, problem) => {
    const e = problemFor({ BETTER_AUTH_TRUSTED_ORIGINS: value });
    expect(e.variable).toBe("BETTER_AUTH_TRUSTED_ORIGINS");
    expect(e.message).toContain(problem);
    expect(e.message).toContain("Fix:");
  });
});

describe("log format", () => {
  it("is text by default, json when asked, nothing else", () => {
    expect(parseServerEnv(GOOD).LOG_FORMAT).toBe("text");
    expect(parseServerEnv({ ...GOOD, LOG_FORMAT: "json" }).LOG_FORMAT).toBe("json");
    expect(problemFor({ LOG_FORMAT: "yaml" }).variable).toBe("LOG_FORMAT");
  });
});
