// The current session and the backend token for pages and server actions, cached per request.
import "server-only";
import { backendTokenForSession } from "@authbridge/better-auth";
import type { BetterAuthOptions } from "better-auth";
import { getSessionCookie } from "better-auth/cookies";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "./auth";
import { signInTargetFor } from "./session-ended";

/**
 * This request's session (with its user: one statement, src/server/session-statements.integration.test.ts).
 * A request without a session cookie has none, and never enters Better Auth: the signed-out pages
 * cost no session machinery at all (docs/benchmarks.md "i. Pages").
 */
export const getSession = cache(async () => {
  const requestHeaders = await headers();
  if (!getSessionCookie(requestHeaders, { cookiePrefix: (auth.options as BetterAuthOptions).advanced?.cookiePrefix })) return null;
  return auth.api.getSession({ headers: requestHeaders });
});

/**
 * The session, or a redirect to /sign-in that comes back to `returnTo` (a path on this site) afterwards,
 * saying "You were signed out" when this browser's session ended (session-ended.ts).
 */
export async function requireSession(returnTo?: string) {
  const session = await getSession();
  if (!session) redirect(signInTargetFor((await headers()).get("cookie"), returnTo));
  return session;
}

/** A backend token for this request's session (issued server-side, never sent to the browser). */
export const getBackendToken = cache(async (): Promise<string> => {
  const { token } = await backendTokenForSession(auth, await requireSession());
  return token;
});
