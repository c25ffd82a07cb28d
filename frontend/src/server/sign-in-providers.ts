// Sign-in with GitHub, Google or any OpenID Connect provider (docs/operations.md "Sign-in providers"), each on
// when its variables are set (config/env-schema.ts). They reach the app as a password sign-in does: a Better
// Auth session, the same backend token. Better Auth runs the protocol (state, PKCE, the OIDC nonce, the ID token
// checked against the provider's JWKS, issuer, audience and expiry); this module adds what it leaves open:
// - a deadline on every call to a provider (discovery, the token exchange, the user's identity), so a provider
//   that is down or slow costs a sign-in PROVIDER_TIMEOUT_MS and never the app (Better Auth sets none);
// - no sign-in from an ID token a client posts (`/sign-in/social` with `idToken`): only the redirect flow,
//   whose state, PKCE and nonce bind the answer to this browser;
// - every failed callback ends on /sign-in?error=<code> (auth-options.ts `onAPIError.errorURL`, and the
//   `errorCallbackURL` the buttons send), with a code that says what happened (src/lib/sign-in-errors.ts has
//   the sentence for each) and one log line naming the cause.
import "server-only";
import type { BetterAuthPlugin, OAuthProvider } from "better-auth";
import { createAuthMiddleware, isAPIError } from "better-auth/api";
import { type GenericOAuthConfig, genericOAuth } from "better-auth/plugins/generic-oauth";
import { decodeJwt } from "jose";
import type { ServerEnv } from "@/config/env-schema";
import { signInProviders } from "@/lib/sign-in-providers";

/** How long any one call to a provider may take (discovery, token exchange, JWKS and user info together). */
export const PROVIDER_TIMEOUT_MS = 5000;

export { signInProviders };

/** Better Auth's `socialProviders`: GitHub and Google from their pairs of variables. */
export function socialProviders(env: ServerEnv) {
  return {
    ...(env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET ? { github: { clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET } } : {}),
    ...(env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET ? { google: { clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET } } : {}),
  };
}

/** The `oidc` provider's configuration: discovery from the issuer, verified ID tokens, PKCE, the standard scopes. */
function oidcConfig(env: ServerEnv): GenericOAuthConfig | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return null;
  return {
    providerId: "oidc",
    name: env.OIDC_NAME ?? "SSO",
    discoveryUrl: `${env.OIDC_ISSUER}/.well-known/openid-configuration`,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    // client_secret_basic: what OpenID Connect assumes when a client registers no method.
    authentication: "basic",
    scopes: ["openid", "email", "profile"],
    pkce: true,
    requireIdTokenVerification: true,
  };
}

class Timeout extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** What went wrong at a provider, as the code the sign-in page shows and the cause the log names. */
interface Failure {
  code?: string;
  cause: string;
}

function failureOf(err: unknown, what: string): Failure {
  if (err instanceof Timeout) return { code: "provider_timeout", cause: err.message };
  // fetch's network failures (refused, reset, DNS) are TypeErrors with the system error as their cause.
  if (err instanceof TypeError) return { code: "provider_unreachable", cause: `${what} could not be reached (${(err.cause as Error | undefined)?.message ?? err.message})` };
  const body = err as { error?: unknown; error_description?: unknown; message?: unknown };
  return { cause: `${what} refused: ${String(body.error ?? body.message)}${body.error_description ? ` (${String(body.error_description)})` : ""}` };
}

/** Why an ID token that Better Auth refused does not hold, read from its claims (for the log line only). */
function idTokenProblem(provider: OAuthProvider, idToken: string, nonce: string | undefined): string {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(idToken);
  } catch {
    return "the ID token is not a JWT";
  }
  const config = provider.idToken as { issuer?: string | string[]; audience?: string | string[] } | undefined;
  const list = (v: string | string[] | undefined) => [v ?? []].flat();
  if (!list(config?.issuer).includes(String(claims.iss))) return `the ID token's issuer ${String(claims.iss)} is not ${list(config?.issuer).join(" or ")}`;
  if (!list(claims.aud).some((a) => list(config?.audience).includes(a))) return `the ID token is for ${list(claims.aud).join(", ")}, not this client`;
  if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now() - 30_000) return "the ID token has expired";
  if (nonce !== undefined && claims.nonce !== nonce) return "the ID token's nonce is not this sign-in's";
  return "the ID token's signature does not verify with the provider's keys, or its user info could not be read";
}

/**
 * The cause of a failure at a provider, by the callback's authorization code; read and removed by the
 * callback's after hook. `codeOf` links the tokens a code gave to that code, for the identity step.
 */
class FailureMemory {
  readonly failures = new Map<string, Failure>();
  readonly codeOf = new Map<string, string>();

  remember<K, V>(map: Map<K, V>, key: K, value: V): void {
    map.set(key, value);
    // Entries whose callback never reached the after hook (an exception) must not pile up.
    if (map.size > 1000) map.delete(map.keys().next().value as K);
  }

  /** The failure noted for `code`, forgotten with every token that code gave. */
  take(code: string | undefined): Failure | undefined {
    if (code === undefined) return undefined;
    const failure = this.failures.get(code);
    this.failures.delete(code);
    for (const [token, c] of this.codeOf) if (c === code) this.codeOf.delete(token);
    return failure;
  }
}

/** `provider` with deadlines on its token and user-info steps, each failure noted by its code; no ID-token sign-in. */
function guardProvider(provider: OAuthProvider, what: string, memory: FailureMemory, timeoutMs: number): OAuthProvider {
  const { failures, codeOf } = memory;
  return {
    ...provider,
    // No sign-in from a posted ID token: only the redirect flow (see the top of this file).
    options: { ...provider.options, disableIdTokenSignIn: true },
    async validateAuthorizationCode(data) {
      try {
        const tokens = await withDeadline(Promise.resolve(provider.validateAuthorizationCode(data)), timeoutMs, `${what}'s token endpoint`);
        const key = tokens?.accessToken ?? tokens?.idToken;
        if (key) memory.remember(codeOf, key, data.code);
        else memory.remember(failures, data.code, { cause: `${what}'s token endpoint gave no token for the code` });
        return tokens;
      } catch (err) {
        memory.remember(failures, data.code, failureOf(err, `${what}'s token endpoint`));
        throw err;
      }
    },
    async getUserInfo(tokens) {
      const code = codeOf.get(tokens.accessToken ?? tokens.idToken ?? "");
      const note = (failure: Failure) => code !== undefined && memory.remember(failures, code, failure);
      try {
        const info = await withDeadline(Promise.resolve(provider.getUserInfo(tokens)), timeoutMs, `${what} (keys or user info)`);
        if (!info) note({ cause: tokens.idToken ? idTokenProblem(provider, tokens.idToken, (tokens as { expectedIdTokenNonce?: string }).expectedIdTokenNonce) : `${what} gave no user info` });
        return info;
      } catch (err) {
        // Better Auth would let this escape as a 500: the callback ends on the sign-in page instead.
        const failure = failureOf(err, `${what} (keys or user info)`);
        note(failure.code ? failure : { code: "unable_to_get_user_info", cause: failure.cause });
        return null;
      }
    },
  };
}

type CallbackContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

/** After a callback: a failure's precise code on the sign-in page's URL, and one log line with its cause. */
function reportFailedCallback(ctx: CallbackContext, names: Record<string, string>, memory: FailureMemory): void {
  const failure = memory.take(typeof ctx.query?.code === "string" ? ctx.query.code : undefined);
  const returned = ctx.context.returned;
  if (!isAPIError(returned) || returned.statusCode !== 302) return;
  const location = new URL((returned.headers as Headers).get("location") ?? "/", ctx.context.baseURL);
  const error = location.searchParams.get("error");
  if (error === null) return;
  const id = String(ctx.params?.id ?? "");
  const said = typeof ctx.query?.error_description === "string" ? ` (${ctx.query.error_description})` : "";
  const cause =
    failure?.cause ??
    (typeof ctx.query?.error === "string" ? `the provider answered ${ctx.query.error}${said}` : (location.searchParams.get("error_description") ?? error.replaceAll("_", " ")));
  const shown = failure?.code ?? error;
  console.warn(`auth: sign-in with ${names[id] ?? id} (${id}) failed: ${shown}: ${cause}`);
  // The provider's own words stay in the log: the page says one sentence of ours per code.
  if (shown === error && !location.searchParams.has("error_description")) return;
  location.searchParams.set("error", shown);
  location.searchParams.delete("error_description");
  throw ctx.redirect(`${location.pathname}${location.search}`);
}

/**
 * Guards every provider (the init wraps them; the hooks wrap one that generic OAuth added later, after a failed
 * discovery succeeded on retry) and turns failed callbacks into a precise code and one log line.
 */
function providerGuard(names: Record<string, string>, timeoutMs = PROVIDER_TIMEOUT_MS): BetterAuthPlugin {
  const guarded = new WeakSet<object>();
  const memory = new FailureMemory();
  const guard = (provider: OAuthProvider): OAuthProvider => {
    if (guarded.has(provider)) return provider;
    const wrapped = guardProvider(provider, `${names[provider.id] ?? provider.name} (${provider.id})`, memory, timeoutMs);
    guarded.add(wrapped);
    return wrapped;
  };
  const guardAll = (providers: OAuthProvider[]) => providers.forEach((p, i) => (providers[i] = guard(p)));
  const isCallback = (ctx: { path?: string }) => ctx.path === "/callback/:id";
  return {
    id: "provider-guard",
    init: (ctx) => {
      guardAll(ctx.socialProviders);
      return { context: { socialProviders: ctx.socialProviders } };
    },
    hooks: {
      before: [
        {
          matcher: (ctx) => isCallback(ctx) || ctx.path === "/sign-in/social",
          handler: createAuthMiddleware(async (ctx) => guardAll(ctx.context.socialProviders)),
        },
      ],
      after: [{ matcher: isCallback, handler: createAuthMiddleware(async (ctx) => reportFailedCallback(ctx, names, memory)) }],
    },
  } satisfies BetterAuthPlugin;
}

/**
 * The generic OAuth plugin for `oidc`, its discovery bounded: Better Auth fetches the discovery document when
 * the app starts, with no deadline, and every auth request waits for that. Past the deadline the provider is
 * left to Better Auth's own retry on its next sign-in (bounded there at 10 s), and the app starts without it.
 */
function boundedGenericOAuth(config: GenericOAuthConfig, timeoutMs = PROVIDER_TIMEOUT_MS): BetterAuthPlugin {
  const plugin = genericOAuth({ config: [config] });
  const init = plugin.init!;
  return {
    ...plugin,
    init: (ctx) =>
      withDeadline(Promise.resolve(init(ctx)), timeoutMs, `discovery at ${config.discoveryUrl}`).catch((err: unknown) => {
        console.warn(`auth: ${(err as Error).message}; ${config.providerId} is retried on its next sign-in`);
        // The field generic OAuth keeps the providers to retry in (better-auth/dist/plugins/generic-oauth/).
        return { context: { genericOAuthPendingDiscovery: new Map([[config.providerId, config]]) } };
      }),
  } as BetterAuthPlugin;
}

/** The plugins for the configured providers: generic OAuth when OIDC is set, then the guard of them all. */
export function signInProviderPlugins(env: ServerEnv, timeoutMs = PROVIDER_TIMEOUT_MS): BetterAuthPlugin[] {
  const oidc = oidcConfig(env);
  const names = Object.fromEntries(signInProviders(env).map((p) => [p.id, p.name]));
  return [...(oidc ? [boundedGenericOAuth(oidc, timeoutMs)] : []), providerGuard(names, timeoutMs)];
}
