import { describe, expect, it } from "vitest";
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

describe("frontend configuration", () => {
  it("accepts a Neon-shaped URL and applies the defaults", () => {
    const env = parseServerEnv(GOOD);
    expect(env.BETTER_AUTH_URL).toBe("http://localhost:3000");
    expect(env.BACKEND_URL).toBe("http://localhost:8000");
    expect(env.BACKEND_JWT_ISSUER).toBe("authbridge-frontend");
    expect(env.BACKEND_JWT_AUDIENCE).toBe("authbridge-backend");
    expect(env.BACKEND_JWT_LIFETIME_SECONDS).toBe(2592000);
    expect(env.PASSWORD_POLICY).toBe("composition");
    expect(env.DATABASE_CA_CERT).toBeUndefined();
  });

  it.each(["require", "verify-ca", "verify-full"])("accepts sslmode=%s", (mode) => {
    expect(() => parseServerEnv({ ...GOOD, DATABASE_URL: `postgres://u:p@h/db?sslmode=${mode}` })).not.toThrow();
  });
});

describe("frontend configuration: the secret", () => {
  it("refuses a missing secret", () => {
    const e = problemFor({ BETTER_AUTH_SECRET: undefined });
    expect(e.message).toMatch(/^config error: BETTER_AUTH_SECRET: is missing or empty\. Fix: /);
  });

  it("refuses an empty secret", () => {
    expect(problemFor({ BETTER_AUTH_SECRET: "" }).variable).toBe("BETTER_AUTH_SECRET");
  });

  it("refuses a secret shorter than 32 bytes", () => {
    const e = problemFor({ BETTER_AUTH_SECRET: "x".repeat(31) });
    expect(e.message).toMatch(/BETTER_AUTH_SECRET: is shorter than 32 bytes\. Fix: /);
  });

  it("counts the secret in UTF-8 bytes, not characters", () => {
    expect(() => parseServerEnv({ ...GOOD, BETTER_AUTH_SECRET: "é".repeat(16) })).not.toThrow();
  });

  it("refuses the .env.example placeholder and anything containing change-me", () => {
    for (const secret of ["change-me-run-npm-run-dev-to-generate-a-real-secret", "CHANGE-ME-please-0123456789abcdef0123456789"]) {
      expect(problemFor({ BETTER_AUTH_SECRET: secret }).message).toMatch(/BETTER_AUTH_SECRET: is the placeholder/);
    }
  });
});

describe("frontend configuration: the database URL", () => {
  it("refuses a missing DATABASE_URL", () => {
    expect(problemFor({ DATABASE_URL: undefined }).message).toMatch(/^config error: DATABASE_URL: is missing\. Fix: /);
  });

  it("refuses a non-PostgreSQL DATABASE_URL", () => {
    expect(problemFor({ DATABASE_URL: "mysql://u:p@h/db?sslmode=require" }).message).toMatch(/DATABASE_URL: is not a PostgreSQL URL/);
    expect(problemFor({ DATABASE_URL: "not a url" }).message).toMatch(/DATABASE_URL: is not a URL/);
  });

  it("refuses a DATABASE_URL without sslmode", () => {
    expect(problemFor({ DATABASE_URL: "postgresql://u:p@h/db" }).message).toMatch(/DATABASE_URL: has no sslmode.*Fix: /);
  });

  it.each(["disable", "allow", "prefer", "bogus"])("refuses sslmode=%s", (mode) => {
    const e = problemFor({ DATABASE_URL: `postgresql://u:p@h/db?sslmode=${mode}` });
    expect(e.message).toContain(`DATABASE_URL: has sslmode=${mode}, weaker than require. Fix: `);
  });
});

describe("frontend configuration: token lifetime, password policy, rate limits", () => {
  it("refuses a bad token lifetime and an unknown password policy", () => {
    expect(problemFor({ BACKEND_JWT_LIFETIME_SECONDS: "soon" }).variable).toBe("BACKEND_JWT_LIFETIME_SECONDS");
    expect(problemFor({ PASSWORD_POLICY: "strong" }).variable).toBe("PASSWORD_POLICY");
  });

  it("rate limits default to 10 per minute and trust no client-address header", () => {
    const env = parseServerEnv(GOOD);
    expect(env.AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE).toBe(10);
    expect(env.AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE).toBe(10);
    expect(env.AUTH_TRUSTED_IP_HEADER).toBeUndefined();
    expect(env.AUTH_RATE_LIMIT_SIGN_UP_PER_EMAIL_PER_HOUR).toBe(5);
    expect(env.AUTH_RATE_LIMIT_PER_USER_PER_MINUTE).toBe(60);
    expect([env.AUTH_LOCK_AFTER_FAILURES, env.AUTH_LOCK_SECONDS, env.AUTH_LOCK_MAX_SECONDS]).toEqual([5, 30, 900]);
    expect(parseServerEnv({ ...GOOD, AUTH_TRUSTED_IP_HEADER: " X-Real-IP, cf-connecting-ip " }).AUTH_TRUSTED_IP_HEADER).toEqual(["x-real-ip", "cf-connecting-ip"]);
  });

  it("refuses a rate limit that is not a positive whole number, and a bad header name", () => {
    expect(problemFor({ AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE: "0" }).variable).toBe("AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE");
    expect(problemFor({ AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE: "lots" }).variable).toBe("AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE");
    expect(problemFor({ AUTH_TRUSTED_IP_HEADER: "x real ip" }).variable).toBe("AUTH_TRUSTED_IP_HEADER");
    expect(problemFor({ AUTH_LOCK_AFTER_FAILURES: "0" }).variable).toBe("AUTH_LOCK_AFTER_FAILURES");
    expect(problemFor({ AUTH_LOCK_SECONDS: "1.5" }).variable).toBe("AUTH_LOCK_SECONDS");
    expect(problemFor({ AUTH_RATE_LIMIT_PER_USER_PER_MINUTE: "-1" }).variable).toBe("AUTH_RATE_LIMIT_PER_USER_PER_MINUTE");
  });
});

describe("frontend configuration: sign-in providers", () => {
  it("sign-in providers are off by default and on with all their variables", () => {
    const none = parseServerEnv(GOOD);
    expect([none.GITHUB_CLIENT_ID, none.GOOGLE_CLIENT_ID, none.OIDC_ISSUER, none.OIDC_NAME]).toEqual([undefined, undefined, undefined, undefined]);
    const all = parseServerEnv({
      ...GOOD,
      GITHUB_CLIENT_ID: "Iv1.abc",
      GITHUB_CLIENT_SECRET: "gh-secret",
      GOOGLE_CLIENT_ID: "123.apps.googleusercontent.com",
      GOOGLE_CLIENT_SECRET: "GOCSPX-x",
      OIDC_ISSUER: "https://sso.example.com/realms/acme/",
      OIDC_CLIENT_ID: "authbridge",
      OIDC_CLIENT_SECRET: "s",
      OIDC_NAME: " Acme SSO ",
    });
    expect(all.OIDC_ISSUER).toBe("https://sso.example.com/realms/acme");
    expect(all.OIDC_NAME).toBe("Acme SSO");
    expect(all.GITHUB_CLIENT_SECRET).toBe("gh-secret");
  });

  it("names a half-configured provider in one line", () => {
    expect(problemFor({ GITHUB_CLIENT_ID: "Iv1.abc" }).message).toBe(
      'config error: GITHUB_CLIENT_SECRET: is missing while GITHUB_CLIENT_ID is set. Fix: set GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET together (docs/operations.md "Sign-in providers"), or empty them all',
    );
    expect(problemFor({ GOOGLE_CLIENT_SECRET: "GOCSPX-x" }).variable).toBe("GOOGLE_CLIENT_ID");
    const oidc = problemFor({ OIDC_ISSUER: "https://sso.example.com", OIDC_CLIENT_SECRET: "s" });
    expect(oidc.message).toContain("OIDC_CLIENT_ID: is missing while OIDC_ISSUER and OIDC_CLIENT_SECRET are set.");
    expect(problemFor({ OIDC_NAME: "Acme SSO" }).message).toMatch(/^config error: OIDC_ISSUER: is missing while OIDC_NAME is set\. Fix: /);
    // Empty counts as unset (a .env line with nothing after `=`).
    expect(() => parseServerEnv({ ...GOOD, GITHUB_CLIENT_ID: "", GITHUB_CLIENT_SECRET: "" })).not.toThrow();
  });

  it("refuses a provider value that cannot be right", () => {
    expect(problemFor({ OIDC_ISSUER: "sso.example.com", OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "s" }).message).toMatch(/^config error: OIDC_ISSUER: is not an http\(s\) URL\. Fix: /);
    expect(problemFor({ GITHUB_CLIENT_ID: "Iv1.abc", GITHUB_CLIENT_SECRET: "change-me" }).message).toMatch(/^config error: GITHUB_CLIENT_SECRET: is not a client credential/);
    expect(problemFor({ OIDC_ISSUER: "https://a.example", OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "s", OIDC_NAME: "x".repeat(41) }).variable).toBe("OIDC_NAME");
  });

  it("in production an http issuer is refused off this machine, accepted on loopback", () => {
    const oidc = { OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "s", NODE_ENV: "production" };
    const e = problemFor({ ...oidc, OIDC_ISSUER: "http://sso.example.com" });
    expect(e.message).toMatch(/^config error: OIDC_ISSUER: is plain http off this machine \(sso\.example\.com\).*Fix: use the provider's https issuer/);
    for (const issuer of ["http://localhost:9400", "http://127.0.0.1:9400", "http://[::1]:9400", "https://sso.example.com"]) {
      expect(parseServerEnv({ ...GOOD, ...oidc, OIDC_ISSUER: issuer }).OIDC_ISSUER).toBe(issuer);
    }
    expect(parseServerEnv({ ...GOOD, OIDC_ISSUER: "http://sso.example.com", OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "s" }).OIDC_ISSUER).toBe("http://sso.example.com");
  });
});
