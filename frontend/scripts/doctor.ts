// `npm run doctor` asks each service what IT sees. This prints one JSON line: the key check value
// of BETTER_AUTH_SECRET (never the secret or its plain hash), the email verification policy, whether
// the database answers (a refused certificate named in one line), the sign-in providers it would offer
// and warnings about risky settings, or the configuration error.
import nextEnv from "@next/env";
import { ConfigError, DEV_SMTP_URL } from "../src/config/env-schema";
import { productionMailProblem } from "../src/config/production-mail";
import { keyCheckValue } from "../src/config/key-check-value";

// Load frontend/.env* first, exactly as `next start` does, so an override hiding there (the classic
// cause of "the backend says invalid signature") shows up as a different key check value.
nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });

/** Connects as Better Auth's pool does: a refused database certificate comes back as one line. */
async function databaseCheck(databaseUrl: string, caCertPath: string | undefined) {
  const { Client } = await import("pg");
  const { poolConfigFor } = await import("../src/server/db");
  const { describeCertificateError } = await import("../src/server/db-errors");
  const client = new Client(poolConfigFor(databaseUrl, caCertPath));
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { reachable: true };
  } catch (err) {
    const e = err as { code?: string; name?: string };
    return { reachable: false, error: describeCertificateError(err) ?? e.code ?? e.name ?? "Error" };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Greets the SMTP server of SMTP_URL (login included) as the app's mailer does: does mail leave? */
async function mailCheck(env: { SMTP_URL?: string; MAIL_FROM: string }) {
  const { mailFailureCause, smtpMailer } = await import("../src/server/mail/mailer");
  const { hostname, port } = new URL(env.SMTP_URL ?? DEV_SMTP_URL);
  const server = `${hostname}:${port || "25"}`;
  try {
    await smtpMailer(env).verify();
    return { reachable: true, server };
  } catch (err) {
    return { reachable: false, server, error: mailFailureCause(err) };
  }
}

/**
 * Settings that are valid but unwise where they are. In production without a trusted address header
 * the throttle cannot count per client address (docs/security.md "Rate limiting").
 */
function configWarnings(env: { AUTH_TRUSTED_IP_HEADER?: string[]; SMTP_URL?: string; BETTER_AUTH_URL: string }, mode: string | undefined): string[] {
  if (mode !== "production") return [];
  const warnings: string[] = [];
  if ((env.AUTH_TRUSTED_IP_HEADER ?? []).length === 0) {
    warnings.push(
      "NODE_ENV=production but AUTH_TRUSTED_IP_HEADER is empty: sign-in and sign-up are not limited per client address " +
        "(only per account, email and user). Fix: run behind a proxy that sets the client address and name its header, e.g. AUTH_TRUSTED_IP_HEADER=x-real-ip",
    );
  }
  // The production server refuses to start with these (src/server/startup-check.ts); say so before it does.
  const mail = productionMailProblem(env);
  if (mail) warnings.push(`a production start would stop: ${mail.message}`);
  return warnings;
}

try {
  const { env, databaseCaCertPath } = await import("../src/env");
  const database = await databaseCheck(env.DATABASE_URL, databaseCaCertPath);
  const mail = await mailCheck(env);
  const warnings = configWarnings(env, process.env.NODE_ENV);
  const emailVerification = env.REQUIRE_EMAIL_VERIFICATION ? "required" : "optional";
  // The sign-in providers it would offer, and the OpenID issuer whose discovery the launcher then checks.
  const { signInProviders } = await import("../src/lib/sign-in-providers");
  const signIn = { providers: signInProviders(env).map((p) => p.name), oidc_issuer: env.OIDC_ISSUER ?? null };
  console.log(JSON.stringify({ secret_kcv: keyCheckValue(env.BETTER_AUTH_SECRET), email_verification: emailVerification, database, mail, sign_in: signIn, warnings }));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.log(JSON.stringify({ config_error: error.message }));
}
