// The sign-up marker (docs/security.md "Pre-account takeover"): in strict mode a sign-up creates no
// session, yet the browser that signed up chose the account's password, so opening the confirmation
// link there should confirm and sign in without asking for it again. After every strict-mode sign-up
// the auth route sets this cookie: `<user id>.<expires>.<HMAC>` of the user id Better Auth answered
// with, for the link's lifetime. A new account's answer carries its real id; an existing email's
// carries a random id that names no user (Better Auth's enumeration-safe answer), so the cookie is
// set alike in both cases and only ever matches an account this browser created.
import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { parseCookies } from "better-auth/cookies";
import { LINK_LIFETIME_SECONDS } from "./mail/account-mail";

/** The cookie's name; `__Host-` (Secure, Path=/, no Domain) where the app's cookies are secure. */
const signupMarkerName = (secure: boolean) => `${secure ? "__Host-" : ""}authbridge.signup`;

export function signupMarkers(secret: string, secure: boolean, now: () => number = Date.now) {
  const key = createHmac("sha256", secret).update("authbridge signup marker v1").digest();
  const sign = (payload: string) => createHmac("sha256", key).update(payload).digest("base64url");
  const name = signupMarkerName(secure);
  return {
    name,
    secure,
    /** The Set-Cookie value naming `userId` as created by this browser, for a link's lifetime. */
    issue(userId: string): string {
      const payload = `${Buffer.from(userId).toString("base64url")}.${Math.floor(now() / 1000) + LINK_LIFETIME_SECONDS}`;
      const attributes = `Path=/; Max-Age=${LINK_LIFETIME_SECONDS}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
      return `${name}=${payload}.${sign(payload)}; ${attributes}`;
    },
    /** Whether the request's cookie says this browser created `userId`'s account within the hour. */
    created(cookieHeader: string | null, userId: string): boolean {
      const value = parseCookies(cookieHeader ?? "").get(name);
      const parts = value?.split(".") ?? [];
      if (parts.length !== 3) return false;
      const [user, expires, signature] = parts as [string, string, string];
      const expected = Buffer.from(sign(`${user}.${expires}`));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      return Number(expires) > now() / 1000 && Buffer.from(user, "base64url").toString() === userId;
    },
  };
}

export type SignupMarkers = ReturnType<typeof signupMarkers>;
