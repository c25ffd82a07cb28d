// The current session and the backend token for pages and server actions, cached per request.
import "server-only";
import { backendTokenForSession } from "@authbridge/better-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { signInHref } from "@/lib/return-path";
import { auth } from "./auth";

export const getSession = cache(async () => auth.api.getSession({ headers: await headers() }));

/** The session, or a redirect to /sign-in that comes back to `returnTo` (a path on this site) afterwards. */
export async function requireSession(returnTo?: string) {
  const session = await getSession();
  if (!session) redirect(signInHref(returnTo));
  return session;
}

/** A backend token for this request's session (issued server-side, never sent to the browser). */
export const getBackendToken = cache(async (): Promise<string> => {
  const { token } = await backendTokenForSession(auth, await requireSession());
  return token;
});
