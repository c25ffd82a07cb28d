// Device tokens (OWASP "Slow Down Online Guessing Attacks with Device Cookies",
// https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies; docs/security.md
// "Rate limiting"): a browser that has signed in to an account holds a token naming that account
// and a random device id, so the throttle can count its failed sign-ins apart from everyone else's
// and a stranger's flood never locks the owner's own browser out.
//
// One cookie holds the tokens of up to DEVICE_TOKENS_KEPT accounts, newest first, separated by `~`.
// A token is `<account>.<device>.<issued>.<signature>`: the account as the throttle's keyed hash of
// the normalized email (throttle-store.ts subjectHashes: never the email itself), 16 random bytes,
// the issue time in seconds (base 36), and an HMAC-SHA256 of the three under a key derived from
// BETTER_AUTH_SECRET, compared in constant time. A token is never valid for another account, with
// another secret, altered in any character, or older than DEVICE_TOKEN_MAX_AGE_SECONDS.
import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { parseCookies } from "better-auth/cookies";

/** How many accounts' tokens one browser keeps (the newest). */
export const DEVICE_TOKENS_KEPT = 5;
/** A token's life, and its cookie's: 400 days, the most a browser keeps a cookie (RFC 6265bis). */
export const DEVICE_TOKEN_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;
/** The cookie's name; `__Host-` (Secure, Path=/, no Domain) where the app's cookies are secure. */
export const deviceCookieName = (secure: boolean) => `${secure ? "__Host-" : ""}authbridge.device`;

/** Longer than DEVICE_TOKENS_KEPT tokens can be: anything longer is not ours. */
const MAX_COOKIE_LENGTH = 1024;
const SEPARATOR = "~";

export interface DeviceTokens {
  /** The device id of the request's valid token for `account` (a keyed hash of its email), or null. */
  deviceOf(cookieHeader: string | null, account: string): string | null;
  /**
   * The Set-Cookie value that gives this browser a new token for `account` (a new device id), first,
   * followed by its other valid tokens, at most DEVICE_TOKENS_KEPT in all.
   */
  issue(cookieHeader: string | null, account: string): string;
}

interface Token {
  account: string;
  device: string;
  text: string;
}

/** Device tokens signed under `secret`; `secure` as the app's session cookie (auth-options.ts); `now` in ms. */
export function deviceTokens(secret: string, secure: boolean, now: () => number = Date.now): DeviceTokens {
  const key = createHmac("sha256", secret).update("authbridge device tokens v1").digest();
  const name = deviceCookieName(secure);
  const sign = (payload: string) => createHmac("sha256", key).update(payload).digest("base64url");
  const nowSeconds = () => Math.floor(now() / 1000);

  const verify = (text: string): Token | null => {
    const parts = text.split(".");
    if (parts.length !== 4) return null;
    const [account, device, issued, signature] = parts as [string, string, string, string];
    const expected = Buffer.from(sign(`${account}.${device}.${issued}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    // Signed, so the time is ours: only its age is checked.
    if (nowSeconds() - parseInt(issued, 36) > DEVICE_TOKEN_MAX_AGE_SECONDS) return null;
    return { account, device, text };
  };

  const valid = (cookieHeader: string | null): Token[] => {
    const value = parseCookies(cookieHeader ?? "").get(name);
    if (!value || value.length > MAX_COOKIE_LENGTH) return [];
    return value.split(SEPARATOR).slice(0, DEVICE_TOKENS_KEPT).flatMap((text) => verify(text) ?? []);
  };

  return {
    deviceOf: (cookieHeader, account) => valid(cookieHeader).find((t) => t.account === account)?.device ?? null,
    issue(cookieHeader, account) {
      const payload = `${account}.${randomBytes(16).toString("base64url")}.${nowSeconds().toString(36)}`;
      const others = valid(cookieHeader).filter((t) => t.account !== account).map((t) => t.text);
      const value = [`${payload}.${sign(payload)}`, ...others].slice(0, DEVICE_TOKENS_KEPT).join(SEPARATOR);
      return `${name}=${value}; Path=/; Max-Age=${DEVICE_TOKEN_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
    },
  };
}
