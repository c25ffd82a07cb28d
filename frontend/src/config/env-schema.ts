// The frontend's configuration rules, as one zod schema (root README.md "Configuration").
// Pure: it validates whatever record it is given, so tests can feed it bad values.
// `src/env.ts` feeds it the real environment (root .env + shell).
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { backendLinkCase, describeBackendLink } from "./backend-link";

const SECRET_MIN_BYTES = 32;
const SECRET_PLACEHOLDER_MARK = "change-me";
const SAFE_SSLMODES = ["require", "verify-ca", "verify-full"] as const;

const GENERATE_SECRET_FIX =
  "Fix: run `npm run dev` once to generate .env, or set it to e.g. `openssl rand -base64 32`";

/** A configuration problem, phrased as one line: `config error: VAR: problem. Fix: ...`. */
export class ConfigError extends Error {
  constructor(readonly variable: string, readonly problem: string) {
    super(`config error: ${variable}: ${problem}`);
    this.name = "ConfigError";
  }
}

const betterAuthSecret = z
  .string({ error: `is missing or empty. ${GENERATE_SECRET_FIX}` })
  .refine((s) => !s.toLowerCase().includes(SECRET_PLACEHOLDER_MARK), {
    error: `is the placeholder from .env.example. ${GENERATE_SECRET_FIX}`,
  })
  .refine((s) => Buffer.byteLength(s, "utf8") >= SECRET_MIN_BYTES, {
    error: `is shorter than ${SECRET_MIN_BYTES} bytes. ${GENERATE_SECRET_FIX}`,
  });

const DATABASE_URL_FIX =
  "Fix: use postgresql://USER:PASS@HOST:PORT/DB?sslmode=require (Neon's URL works unchanged)";

const databaseUrl = z
  .string({ error: `is missing. ${DATABASE_URL_FIX}` })
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: `is not a URL. ${DATABASE_URL_FIX}` });
      return;
    }
    if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
      ctx.addIssue({
        code: "custom",
        message: `is not a PostgreSQL URL (scheme ${url.protocol}). ${DATABASE_URL_FIX}`,
      });
      return;
    }
    const sslmode = url.searchParams.get("sslmode");
    if (sslmode === null) {
      ctx.addIssue({
        code: "custom",
        message: "has no sslmode, so TLS is not enforced. Fix: append ?sslmode=require (or verify-full)",
      });
    } else if (!(SAFE_SSLMODES as readonly string[]).includes(sslmode)) {
      ctx.addIssue({
        code: "custom",
        message: `has sslmode=${sslmode}, weaker than require. Fix: use sslmode=require, verify-ca or verify-full`,
      });
    }
  });

const httpUrl = (name: string, example: string) =>
  z
    .url({ protocol: /^https?$/, error: `is not an http(s) URL. Fix: set ${name} like ${example}` })
    .transform((u) => u.replace(/\/+$/, ""));

// Origins as BETTER_AUTH_TRUSTED_ORIGINS lists them: scheme://host[:port], `*` for part of one host
// label, never a whole label and never in the last two (`https://*.vercel.app` would trust anyone's
// Vercel app). The backend applies the same rules (backend/app/settings.py).
const ORIGIN_OR_PATTERN = /^https?:\/\/(?:[a-z0-9*-]+\.)*[a-z0-9*-]+(?::[0-9]{1,5})?$/;
const trustedOrigins = z
  .string()
  .transform((s) => s.split(",").map((o) => o.trim()).filter(Boolean))
  .superRefine((origins, ctx) => {
    for (const origin of origins) {
      if (!ORIGIN_OR_PATTERN.test(origin)) {
        ctx.addIssue({
          code: "custom",
          message: `'${origin}' is not an origin. Fix: list scheme://host[:port] values, comma-separated, e.g. https://app.example.com,https://app-*-team.vercel.app`,
        });
        return;
      }
      const labels = origin.split("://")[1]!.split(":")[0]!.split(".");
      if (labels.includes("*") || labels.slice(-2).join("").includes("*")) {
        ctx.addIssue({
          code: "custom",
          message: `'${origin}' lets anyone's domain in. Fix: give \`*\` fixed text in its label and keep the last two labels fixed, e.g. https://app-*-team.vercel.app (never https://*.vercel.app)`,
        });
        return;
      }
    }
  });

// Host names (or patterns, `*` for part of one label) on a private network the backend link may
// reach over plain http in production (config/backend-link.ts).
const internalHosts = z
  .string()
  .transform((s) => s.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))
  .refine((hs) => hs.every((h) => /^[a-z0-9*-]+(?:\.[a-z0-9*-]+)*$/.test(h) && h !== "*"), {
    error: "is not a list of host names. Fix: e.g. BACKEND_INTERNAL_HOSTS=backend,api.internal (no scheme, no port)",
  });

const perMinute = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `is not a number. Fix: set ${name} to a whole number of requests per minute, e.g. ${fallback}` })
    .int({ error: `is not a whole number. Fix: set ${name} to e.g. ${fallback}` })
    .positive({ error: `must be at least 1 (rate limiting cannot be switched off). Fix: set ${name} to e.g. ${fallback}` })
    .default(fallback);

const wholeNumber = (name: string, fallback: number, unit: string) =>
  z.coerce
    .number({ error: `is not a number. Fix: set ${name} to a whole number of ${unit}, e.g. ${fallback}` })
    .int({ error: `is not a whole number. Fix: set ${name} to e.g. ${fallback}` })
    .positive({ error: `must be at least 1. Fix: set ${name} to e.g. ${fallback}` })
    .default(fallback);

// Header names only (RFC 9110 token characters), comma-separated, first match wins.
const ipHeaders = z
  .string()
  .transform((s) => s.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))
  .refine((hs) => hs.every((h) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h)), {
    error: "is not a header name (or a comma-separated list). Fix: e.g. AUTH_TRUSTED_IP_HEADER=x-real-ip, or leave it empty",
  });

/** Where mail goes when SMTP_URL is not set: the catcher `npm run dev` starts (development only). */
export const DEV_SMTP_URL = "smtp://localhost:1025";

// Outgoing mail (src/server/mail/): any SMTP endpoint, a local catcher in development. Not
// defaulted here, so that a production start can tell "not set" (config/production-mail.ts).
const smtpUrl = z.url({
  protocol: /^smtps?$/,
  error: `is not an smtp:// or smtps:// URL. Fix: e.g. SMTP_URL=${DEV_SMTP_URL} (the dev catcher) or smtps://USER:PASS@smtp.provider.com:465`,
});

const mailFrom = z
  .string()
  .refine((s) => /^[^<>\r\n]*<[^<>@\s]+@[^<>@\s]+>$|^[^<>@\s]+@[^<>@\s]+$/.test(s.trim()), {
    error: 'is not an address. Fix: e.g. MAIL_FROM="authbridge <no-reply@example.com>"',
  })
  .default("authbridge <no-reply@localhost>");

// Sign-in providers (src/server/sign-in-providers.ts, docs/operations.md "Sign-in providers"): each one on
// when its variables are set, all of them or none (parseServerEnv names a half-configured one).
const clientCredential = (name: string) =>
  z.string().refine((s) => !/\s/.test(s) && !s.toLowerCase().includes(SECRET_PLACEHOLDER_MARK), {
    error: `is not a client credential (spaces, or the placeholder). Fix: copy ${name} from the provider's console, or leave it empty`,
  });
const OIDC_ISSUER_FIX = "Fix: set OIDC_ISSUER to your provider's issuer, e.g. https://sso.example.com/realms/acme (its discovery document is at <issuer>/.well-known/openid-configuration)";

/** Each provider's variables, all set or all empty; the first is the one that turns it on. */
const PROVIDER_VARIABLES = {
  github: ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"],
  google: ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"],
  oidc: ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"],
} as const;

const onOff = (name: string, fallback: boolean) =>
  z
    .enum(["true", "false"], { error: `must be true or false. Fix: set ${name}=${fallback}` })
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true");

const serverSchema = {
  BETTER_AUTH_SECRET: betterAuthSecret,
  DATABASE_URL: databaseUrl,
  DATABASE_CA_CERT: z.string().optional(),
  BETTER_AUTH_URL: httpUrl("BETTER_AUTH_URL", "http://localhost:3000").default("http://localhost:3000"),
  BACKEND_URL: httpUrl("BACKEND_URL", "http://localhost:8000").default("http://localhost:8000"),
  // In production BACKEND_URL is https, loopback, or a host listed here (config/backend-link.ts).
  BACKEND_INTERNAL_HOSTS: internalHosts.optional(),
  // More origins than BETTER_AUTH_URL's that Better Auth trusts (preview deployments); the
  // backend's CORS reads the same variable. Never derived from a request's Host.
  BETTER_AUTH_TRUSTED_ORIGINS: trustedOrigins.optional(),
  // text for people; json (one object per line with the request id) in production. Read by
  // start.mjs (the standalone server's entry) and checked here.
  LOG_FORMAT: z.enum(["text", "json"], { error: "must be `text` or `json`. Fix: set LOG_FORMAT=json in production" }).default("text"),
  BACKEND_JWT_ISSUER: z.string().min(1).default("authbridge-frontend"),
  BACKEND_JWT_AUDIENCE: z.string().min(1).default("authbridge-backend"),
  BACKEND_JWT_LIFETIME_SECONDS: z.coerce
    .number({ error: "is not a number. Fix: set it to a whole number of seconds, e.g. 2592000 (30 days)" })
    .int({ error: "is not a whole number. Fix: set it to a whole number of seconds, e.g. 2592000" })
    .positive({ error: "must be positive. Fix: set it to e.g. 2592000 (30 days)" })
    .default(2592000),
  PASSWORD_POLICY: z
    .enum(["composition", "length-only"], {
      error: "must be `composition` or `length-only`. Fix: set PASSWORD_POLICY=composition",
    })
    .default("composition"),
  // The throttle (src/server/throttle.ts, docs/security.md "Rate limiting"), counted in PostgreSQL.
  // Per client address, per minute, on POST /api/auth/sign-in/email and /sign-up/email; only
  // where AUTH_TRUSTED_IP_HEADER makes the address known.
  AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE: perMinute("AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE", 10),
  AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE: perMinute("AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE", 10),
  // Sign-ups per (normalized) email address per hour.
  AUTH_RATE_LIMIT_SIGN_UP_PER_EMAIL_PER_HOUR: wholeNumber("AUTH_RATE_LIMIT_SIGN_UP_PER_EMAIL_PER_HOUR", 5, "sign-ups per hour"),
  // Verification and reset emails an anonymous request can ask for, per route and email per hour.
  AUTH_RATE_LIMIT_MAIL_PER_EMAIL_PER_HOUR: wholeNumber("AUTH_RATE_LIMIT_MAIL_PER_EMAIL_PER_HOUR", 3, "emails per hour"),
  // Mails of every kind to one address nobody has proven, per hour, however many accounts or clients ask.
  AUTH_RATE_LIMIT_MAIL_PER_RECIPIENT_PER_HOUR: wholeNumber("AUTH_RATE_LIMIT_MAIL_PER_RECIPIENT_PER_HOUR", 5, "emails per hour"),
  // Requests per signed-in user per minute on the routes that need a session (change-password, token, …).
  AUTH_RATE_LIMIT_PER_USER_PER_MINUTE: perMinute("AUTH_RATE_LIMIT_PER_USER_PER_MINUTE", 60),
  // Failed sign-ins per account (and wrong current passwords per user) before a lock of
  // AUTH_LOCK_SECONDS, doubling with each further lock up to AUTH_LOCK_MAX_SECONDS.
  AUTH_LOCK_AFTER_FAILURES: wholeNumber("AUTH_LOCK_AFTER_FAILURES", 5, "failures"),
  AUTH_LOCK_SECONDS: wholeNumber("AUTH_LOCK_SECONDS", 30, "seconds"),
  AUTH_LOCK_MAX_SECONDS: wholeNumber("AUTH_LOCK_MAX_SECONDS", 900, "seconds"),
  // The request header that carries the client address, set by YOUR proxy. Empty (default): no
  // header is trusted, because `next start` keeps a client-sent X-Forwarded-For
  // (frontend/README.md "Rate limits and client addresses").
  AUTH_TRUSTED_IP_HEADER: ipHeaders.optional(),
  // Days the security activity log keeps an event (src/server/security-events/, docs/security.md
  // "Security activity"); at least 1, the youngest row the database lets the retention delete.
  AUTH_EVENT_RETENTION_DAYS: wholeNumber("AUTH_EVENT_RETENTION_DAYS", 365, "days"),
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: mailFrom,
  // Strict mode (docs/security.md "Email verification"): new accounts confirm their email before they
  // can sign in, and the backend (which reads the same variable) refuses an unverified user's token.
  // Off by default: sign-up signs the user in at once and still mails a confirmation link.
  REQUIRE_EMAIL_VERIFICATION: onOff("REQUIRE_EMAIL_VERIFICATION", false),
  GITHUB_CLIENT_ID: clientCredential("GITHUB_CLIENT_ID").optional(),
  GITHUB_CLIENT_SECRET: clientCredential("GITHUB_CLIENT_SECRET").optional(),
  GOOGLE_CLIENT_ID: clientCredential("GOOGLE_CLIENT_ID").optional(),
  GOOGLE_CLIENT_SECRET: clientCredential("GOOGLE_CLIENT_SECRET").optional(),
  // Any OpenID Connect provider, by discovery (`oidc`): issuer, the app's client, and the button's name.
  OIDC_ISSUER: z.url({ protocol: /^https?$/, error: `is not an http(s) URL. ${OIDC_ISSUER_FIX}` }).transform((u) => u.replace(/\/+$/, "")).optional(),
  OIDC_CLIENT_ID: clientCredential("OIDC_CLIENT_ID").optional(),
  OIDC_CLIENT_SECRET: clientCredential("OIDC_CLIENT_SECRET").optional(),
  OIDC_NAME: z.string().trim().min(1).max(40, { error: "is longer than 40 characters. Fix: a short name for the button, e.g. OIDC_NAME=\"Acme SSO\"" }).optional(),
};

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/** The first provider with some but not all of its variables, as a ConfigError; or null. */
function halfConfiguredProvider(env: Record<string, unknown>): ConfigError | null {
  for (const names of Object.values(PROVIDER_VARIABLES)) {
    const missing = names.filter((n) => env[n] === undefined);
    if (missing.length === 0 || missing.length === names.length) continue;
    const set = names.filter((n) => env[n] !== undefined);
    return new ConfigError(missing[0]!, `is missing while ${set.join(" and ")} ${set.length > 1 ? "are" : "is"} set. Fix: set ${names.join(", ")} together (docs/operations.md "Sign-in providers"), or empty them all`);
  }
  if (env.OIDC_NAME !== undefined && env.OIDC_ISSUER === undefined) {
    return new ConfigError("OIDC_ISSUER", "is missing while OIDC_NAME is set. Fix: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or empty OIDC_NAME");
  }
  return null;
}

/**
 * Validates a raw environment record; throws ConfigError naming the first bad variable, or a sign-in
 * provider with only some of its variables. With NODE_ENV=production, a BACKEND_URL that would send
 * tokens over plain http off this machine to a host nobody vouched for is refused too, and so is an
 * OIDC_ISSUER on plain http anywhere but loopback.
 */
export function parseServerEnv(runtimeEnv: Record<string, string | undefined>) {
  const env = parseSchema(runtimeEnv);
  const half = halfConfiguredProvider(env);
  if (half) throw half;
  if (runtimeEnv.NODE_ENV === "production") {
    const linkCase = backendLinkCase(env.BACKEND_URL, env.BACKEND_INTERNAL_HOSTS ?? []);
    if (linkCase === "refused") throw new ConfigError("BACKEND_URL", describeBackendLink(env.BACKEND_URL, linkCase));
    // The code, the client secret and the ID token cross this link: plain http only where nothing else can listen.
    if (env.OIDC_ISSUER?.startsWith("http:") && !LOOPBACK_HOSTS.includes(new URL(env.OIDC_ISSUER).hostname)) {
      throw new ConfigError("OIDC_ISSUER", `is plain http off this machine (${new URL(env.OIDC_ISSUER).host}): codes and the client secret would cross the network unencrypted. Fix: use the provider's https issuer, e.g. https://sso.example.com/realms/acme`);
    }
  }
  return env;
}

function parseSchema(runtimeEnv: Record<string, string | undefined>) {
  return createEnv({
    server: serverSchema,
    runtimeEnv,
    isServer: true,
    emptyStringAsUndefined: true,
    onValidationError: (issues) => {
      const first = issues[0];
      const segment = first?.path?.[0];
      const variable = typeof segment === "object" ? String(segment.key) : String(segment ?? "environment");
      throw new ConfigError(variable, first?.message ?? "is invalid");
    },
  });
}

export type ServerEnv = ReturnType<typeof parseServerEnv>;
