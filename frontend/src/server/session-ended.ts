// "You were signed out" instead of a bare sign-in page (docs/architecture.md, "A session can end while a
// page is open"): a page that needs a session tells a browser whose session ENDED (revoked from
// another device, signed out everywhere, a password changed or reset elsewhere, expired) from one
// that never signed in, and sends the first to /sign-in?reason=signed-out.
// Two signs, either enough:
// - the request still carries a session cookie that names no live session (a page render cannot
//   delete it: React Server Components cannot set cookies);
// - the session-ended marker: whenever Better Auth deletes a stale session cookie (a server action's
//   session check, a settings form's call), this plugin sets a small HttpOnly cookie that says so,
//   because the next render no longer sees the session cookie. Signing in (any new session) and
//   signing out on purpose clear it. It holds no identity: `1`, for a day.
import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { getSessionCookie, parseCookies, parseSetCookieHeader } from "better-auth/cookies";
import { signInHref } from "@/lib/return-path";

/** The marker's name; `__Host-` (Secure, Path=/, no Domain) where the app's cookies are secure. */
export const sessionEndedName = (secure: boolean) => `${secure ? "__Host-" : ""}authbridge.session-ended`;
export const SESSION_ENDED_SECONDS = 24 * 60 * 60;

/** Where a session ends because the user asked for it (when the route succeeds): no "you were signed out" afterwards. */
const ON_PURPOSE = new Set(["/sign-out", "/delete-user", "/revoke-session", "/revoke-sessions"]);

/** Whether a request with this Cookie header comes from a browser whose session ended (see above). */
export function sessionEnded(cookieHeader: string | null): boolean {
  if (!cookieHeader) return false;
  if (getSessionCookie(new Headers({ cookie: cookieHeader }))) return true;
  const jar = parseCookies(cookieHeader);
  return jar.has(sessionEndedName(true)) || jar.has(sessionEndedName(false));
}

/**
 * The sign-in page for a request that has no session: it returns to `returnTo` (a path of the
 * caller's own) afterwards, and says "You were signed out" when the session ended.
 * src/server/session.ts `requireSession` redirects here.
 */
export const signInTargetFor = (cookieHeader: string | null, returnTo?: string): string =>
  signInHref(returnTo, sessionEnded(cookieHeader) ? "signed-out" : undefined);

/** Sets the marker when Better Auth deletes a stale session cookie; clears it when a session starts or the user signs out. */
export const sessionEndedPlugin = (secure: boolean) => {
  const name = sessionEndedName(secure);
  const attributes = { path: "/", httpOnly: true, sameSite: "lax", secure } as const;
  return {
    id: "session-ended",
    hooks: {
      after: [
        {
          matcher: () => true,
          handler: createAuthMiddleware(async (ctx) => {
            const setCookies = ctx.context.responseHeaders?.get("set-cookie");
            const session = setCookies ? parseSetCookieHeader(setCookies).get(ctx.context.authCookies.sessionToken.name) : undefined;
            if (!session) return; // the session cookie is left alone: nothing to say
            const deleted = session.value === "" || session["max-age"] === 0;
            // A refusal (401: the session had already ended) is never on purpose.
            const onPurpose = ON_PURPOSE.has(ctx.path) && !(ctx.context.returned instanceof Error);
            // A sign-in waiting for its second step (second-factor/) takes back the session it made: nothing ended.
            const waitsForCode = (ctx.context.returned as { twoFactorRedirect?: unknown } | undefined)?.twoFactorRedirect === true;
            if (deleted && !onPurpose && !waitsForCode) {
              ctx.setCookie(name, "1", { ...attributes, maxAge: SESSION_ENDED_SECONDS });
            } else if (parseCookies(ctx.headers?.get("cookie") ?? "").has(name)) {
              // Only when the browser has it: an unneeded Set-Cookie in a server action refreshes the page.
              ctx.setCookie(name, "", { ...attributes, maxAge: 0 });
            }
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
};
