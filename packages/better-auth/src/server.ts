// A request's backend token on the server, in any framework: hand over the Better Auth instance and
// the request's headers (or the session you already hold). Same issuer and settings as the plugin's
// endpoint; nothing goes over HTTP.
import type { BetterAuthOptions } from "better-auth";
import { type IssuedBackendToken, issueBackendToken, type SessionIds, sessionSubject } from "./issuer.js";
import { BACKEND_TOKEN_PLUGIN_ID, type resolveBackendTokenOptions } from "./plugin.js";

export type { SessionIds } from "./issuer.js";

/** What these helpers need of a Better Auth instance (`betterAuth({...})` with the plugin installed). */
export interface AuthWithBackendToken {
  options: BetterAuthOptions;
  api: { getSession: (context: { headers: Headers }) => Promise<SessionIds | null> };
}

function issuerConfigOf(auth: AuthWithBackendToken): ReturnType<typeof resolveBackendTokenOptions> {
  const plugin = auth.options.plugins?.find((p) => p.id === BACKEND_TOKEN_PLUGIN_ID);
  if (!plugin) throw new Error("backendTokenFor: the Better Auth instance has no backendToken() plugin");
  return plugin.options as ReturnType<typeof resolveBackendTokenOptions>;
}

/** A backend token for a session the caller already holds (no session lookup). */
export async function backendTokenForSession(auth: AuthWithBackendToken, session: SessionIds): Promise<IssuedBackendToken> {
  return issueBackendToken(sessionSubject(session), issuerConfigOf(auth), new Date());
}

/** A backend token for the session of a request's headers (its cookie), or null when it has none. */
export async function backendTokenFor(auth: AuthWithBackendToken, headers: Headers): Promise<IssuedBackendToken | null> {
  const config = issuerConfigOf(auth);
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  return issueBackendToken(sessionSubject(session), config, new Date());
}
