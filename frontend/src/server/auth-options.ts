// Better Auth configured to the backend-owned schema (docs/architecture.md "Schema"): snake_case
// columns through `fields` mappings. Better Auth never creates or migrates tables here; the
// backend's Alembic does, and schema-agreement.test.ts proves both sides agree.
import "server-only";
import { backendToken } from "@authbridge/better-auth";
import type { BetterAuthOptions } from "better-auth";
import type { Pool } from "pg";
import type { ServerEnv } from "@/config/env-schema";
import { PASSWORD_MAX_CODE_POINTS, PASSWORD_MIN_CODE_POINTS } from "@/lib/password-policy";
import { authMethodsPlugin } from "./auth-methods";
import { type ObservedPool, observedPool } from "./db";
import { emailChangePlugin } from "./email-change/plugin";
import { type AccountMail, accountMail } from "./mail/account-mail";
import { accountMailHook, authMailOptions } from "./mail/auth-mail-options";
import { deleteLinkPlugin } from "./mail/delete-link-plugin";
import { type Mailer, smtpMailer } from "./mail/mailer";
import { recipientBudget } from "./mail/recipient-budget";
import { accountPolicyHook } from "./password-hook";
import { resetSignInPlugin } from "./reset-sign-in";
import { secondFactorPlugins } from "./second-factor/options";
import { securityEventsPlugin } from "./security-events/plugin";
import { sessionEndedPlugin } from "./session-ended";
import { signInMethods } from "./sign-in-methods/plugin";
import { signInProviderPlugins, socialProviders } from "./sign-in-providers";
import { signupMarkers } from "./signup-marker";
import { verifyAddressPlugin } from "./verify-address/plugin";

const timestamps = { createdAt: "created_at", updatedAt: "updated_at" } as const;

type SignInMethods = ReturnType<typeof signInMethods>;

/** The product's name: Better Auth's appName, the authenticator app's issuer, the passkeys' relying party. */
const APP_NAME = "authbridge";

/** Secure, `__Secure-`-prefixed cookies: in every production build, and whenever the public URL is https. */
const secureCookiesFor = (publicUrl: string, mode: string | undefined): boolean =>
  mode === "production" || publicUrl.startsWith("https://");

// NODE_ENV is the build mode Next.js sets (and inlines), not configuration, so it is not in env.ts.
// eslint-disable-next-line no-restricted-properties
const buildMode = () => process.env.NODE_ENV;

/** The sign-up markers (signup-marker.ts), Secure exactly when the app's cookies are; strict mode only. */
export const signupMarkersFor = (env: ServerEnv) =>
  env.REQUIRE_EMAIL_VERIFICATION ? signupMarkers(env.BETTER_AUTH_SECRET, secureCookiesFor(env.BETTER_AUTH_URL, buildMode())) : undefined;

/** The backend-owned tables' snake_case columns (backend/app/models.py), in Better Auth's field names. */
const TABLES = {
  user: { modelName: "user", fields: { emailVerified: "email_verified", ...timestamps } },
  session: {
    modelName: "session",
    fields: { expiresAt: "expires_at", ipAddress: "ip_address", userAgent: "user_agent", userId: "user_id", ...timestamps },
  },
  account: {
    modelName: "account",
    fields: {
      accountId: "account_id",
      providerId: "provider_id",
      userId: "user_id",
      accessToken: "access_token",
      refreshToken: "refresh_token",
      idToken: "id_token",
      accessTokenExpiresAt: "access_token_expires_at",
      refreshTokenExpiresAt: "refresh_token_expires_at",
      ...timestamps,
    },
  },
  verification: { modelName: "verification", fields: { expiresAt: "expires_at", ...timestamps } },
} as const;

function advancedOptions(env: ServerEnv) {
  return {
    // Related rows in one statement where Better Auth reads them together: a session with its user
    // (every signed-in page render, src/server/session-statements.integration.test.ts), a user with
    // its accounts (sign-in). Kysely's PostgreSQL dialect joins natively.
    database: { joins: true },
    // Whose address is it? Only a header that our own proxy sets can say (the same one the
    // throttle uses, throttle-address.ts). Without one (the default, []), a client cannot put
    // an address of its choice on its session by sending X-Forwarded-For.
    ipAddress: { ipAddressHeaders: env.AUTH_TRUSTED_IP_HEADER ?? [] },
    // `Secure` + `__Secure-` cookies in production even when BETTER_AUTH_URL is http (Better
    // Auth alone would go by the URL): docs/security.md "Cookies".
    useSecureCookies: secureCookiesFor(env.BETTER_AUTH_URL, buildMode()),
    // Better Auth turns its Origin (CSRF) check off when NODE_ENV=test; keep it on everywhere,
    // so the integration tests run what production runs.
    disableOriginCheck: false,
    disableCSRFCheck: false,
  };
}

/** The plugins, in the order their hooks must run. */
function plugins(env: ServerEnv, db: ObservedPool, mail: AccountMail, methods: SignInMethods) {
  return [
    // GET /api/auth/token, the backend token (packages/better-auth/).
    backendToken({
      secret: env.BETTER_AUTH_SECRET,
      issuer: env.BACKEND_JWT_ISSUER,
      audience: env.BACKEND_JWT_AUDIENCE,
      lifetimeSeconds: env.BACKEND_JWT_LIFETIME_SECONDS,
    }),
    authMethodsPlugin(), // how and when each session's user signed in (the token's amr, auth_time) and POST /re-authenticate
    deleteLinkPlugin(mail),
    emailChangePlugin(db, mail),
    verifyAddressPlugin(db, env.BETTER_AUTH_SECRET, signupMarkersFor(env)),
    resetSignInPlugin(),
    // The configured sign-in providers, before the plugins that watch their callbacks.
    ...signInProviderPlugins(env),
    // Two-step sign-in (codes) and passkeys, Better Auth's own plugins with the app's hooks
    // (second-factor/options.ts): after the plugins that make sessions, whose replacements a trusted
    // device follows, and before the security events', which must not see a sign-in that still
    // waits for its code.
    ...secondFactorPlugins(env, db, APP_NAME),
    // The account's security activity (docs/security.md "Security activity"): after the plugins whose endpoints it records.
    securityEventsPlugin(db, env, mail),
    methods.plugin,
    // After every plugin that starts a session, so it sees their cookies (session-ended.ts).
    sessionEndedPlugin(secureCookiesFor(env.BETTER_AUTH_URL, buildMode())),
  ];
}

/** Better Auth as the app runs it; `mailer` defaults to SMTP_URL (tests may point it elsewhere). */
export function authOptions(env: ServerEnv, pool: Pool, mailer: Mailer = smtpMailer(env)) {
  const db = observedPool(pool);
  const mail = accountMail(env, mailer, recipientBudget(pool, env));
  const mailOptions = authMailOptions(env, mail, db);
  // Which provider identity joins which account, unlinking, provider tokens (docs/security.md "Sign-in providers and linking").
  const methods = signInMethods(db, env.REQUIRE_EMAIL_VERIFICATION);
  return {
    appName: APP_NAME,
    baseURL: env.BETTER_AUTH_URL,
    // BETTER_AUTH_URL's origin and these (preview deployments), never a request's Host header
    // (docs/operations.md "Vercel frontend + container backend + Neon").
    trustedOrigins: env.BETTER_AUTH_TRUSTED_ORIGINS ?? [],
    secret: env.BETTER_AUTH_SECRET,
    // Retries connects, records database errors per request (auth-route.ts turns them into 503s).
    // Kysely's PostgresPool type also has a cursor overload that Better Auth never uses.
    database: db as unknown as Pool,
    telemetry: { enabled: false },
    // Replaced by our own flows, which decide who ends up holding the account (docs/security.md
    // "Changing the email", "Pre-account takeover"): Better Auth's change of email (stateless links
    // that nothing can revoke) and its /verify-email (signs in whoever opens the link).
    disabledPaths: ["/change-email", "/verify-email"],
    // Unexpected errors (e.g. a raw pg error) propagate to auth-route.ts, which answers our JSON. A failed
    // provider callback ends on the sign-in page, which says what happened (sign-in-providers.ts).
    onAPIError: { throw: true, errorURL: `${env.BETTER_AUTH_URL}/sign-in` },
    // GitHub and Google when configured; any OpenID Connect provider is a plugin below (sign-in-providers.ts).
    socialProviders: socialProviders(env),
    user: { ...TABLES.user, ...mailOptions.user, ...methods.options.user },
    session: { ...TABLES.session, expiresIn: env.BACKEND_JWT_LIFETIME_SECONDS }, // a session lives as long as the tokens it backs
    account: { ...TABLES.account, ...methods.options.account },
    databaseHooks: methods.options.databaseHooks,
    verification: TABLES.verification,
    emailVerification: mailOptions.emailVerification,
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      ...mailOptions.emailAndPassword,
      // Better Auth counts UTF-16 units; our hook counts code points (the real rule). These bounds
      // only keep Better Auth from refusing what the policy allows: 128 code points ≤ 256 units.
      minPasswordLength: PASSWORD_MIN_CODE_POINTS,
      maxPasswordLength: PASSWORD_MAX_CODE_POINTS * 2,
    },
    hooks: { before: accountPolicyHook(env.PASSWORD_POLICY), after: accountMailHook(mail) },
    // Off: the throttle in front of the handler counts instead (throttle.ts, docs/security.md
    // "Rate limiting"). Better Auth's limiter counts in one process's memory (N instances allow N
    // times the limit) and, where it finds no client address, in one bucket per route that every
    // client shares — so anyone could keep everyone's sign-in at 429.
    rateLimit: { enabled: false },
    advanced: advancedOptions(env),
    plugins: plugins(env, db, mail, methods),
  } satisfies BetterAuthOptions;
}
