// Every redirect target the app follows or lets Better Auth follow goes through one rule,
// `sameOriginTarget` (docs/security.md "Redirects"): resolved against the app's public origin
// (BETTER_AUTH_URL's), accepted only on that origin, and answered as a root-relative path that is
// checked again, so a normalised path can never turn into a protocol-relative `//host`.
// - `?next=` (where sign-in returns to): `safeReturnPath`, which falls back to the dashboard;
// - Better Auth's `callbackURL`, `redirectTo`, `errorCallbackURL`, `newUserCallbackURL`:
//   src/server/auth-route.ts, which refuses the request (400 INVALID_REDIRECT).
// `reason=signed-out` makes the sign-in page say why the user is there (a session that ended in
// another tab, a password change elsewhere, a revoked token).

export const DEFAULT_RETURN_PATH = "/dashboard";
/** Longer targets are refused: no page of ours needs one, and every browser handles this much. */
export const MAX_TARGET_LENGTH = 2048;

// Browsers drop tabs and newlines anywhere in a URL and strip leading and trailing control
// characters and spaces, so what they follow is not what a check read: none of these is accepted.
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f]/;
// `/` then anything but a second `/` or `\` (browsers read `\` as `/` in http(s) URLs).
const ROOT_RELATIVE = /^\/(?![/\\])/;
const ABSOLUTE_HTTP = /^https?:\/\//i;
// An encoded `/` or `\` in the path: a router or proxy that decodes it before resolving would see `//host`.
const ENCODED_SEPARATOR = /%2f|%5c/i;
// No page links to this reserved name (RFC 2606), so with no public URL nothing absolute is ours.
const PATHS_ONLY_BASE = "http://paths-only.invalid";

/**
 * `raw` as a target on the app's own origin, or null.
 *
 * `publicUrl` is the app's public URL (BETTER_AUTH_URL; only its origin counts). With null, no
 * absolute URL is ours and only root-relative paths pass (for callers that build a link from a path
 * of their own and cannot know the origin; the page that follows it checks again with it).
 *
 * Accepted: a root-relative path (`/settings?x=1#y`), or an absolute `http:`/`https:` URL on exactly
 * that origin (scheme, host and port; case and a default port do not matter). Refused: anything
 * else — other origins, look-alike hosts (an IDN host is compared in its punycode form), user-info
 * (`https://evil@app/`), `//host`, `/\host`, `\\host`, path-relative references, other schemes
 * (`javascript:`, `data:`, …), control characters and spaces anywhere, encoded `/` or `\` in the
 * path, more than MAX_TARGET_LENGTH characters, and what is not a string.
 *
 * The answer is the resolved URL's path, query and fragment, and it is checked again: resolving it
 * gives the same URL on the same origin, and it starts with one `/` only. So `/.//evil` (whose
 * resolved path is `//evil`) is refused rather than answered as `//evil`.
 */
export function sameOriginTarget(raw: unknown, publicUrl: string | null): string | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_TARGET_LENGTH) return null;
  if (CONTROL_OR_SPACE.test(raw) || raw.includes("\\")) return null;
  if (!ROOT_RELATIVE.test(raw) && !(publicUrl !== null && ABSOLUTE_HTTP.test(raw))) return null;
  const origin = new URL(publicUrl ?? PATHS_ONLY_BASE).origin;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin || url.username !== "" || url.password !== "") return null;
  if (ENCODED_SEPARATOR.test(url.pathname)) return null;
  // pathname + search + hash, exactly as serialised (an empty `?` or `#` kept).
  const target = url.href.slice(origin.length);
  // The output, checked again: one leading `/`, and it resolves to the very same URL on our origin.
  if (!ROOT_RELATIVE.test(target) || new URL(target, origin).href !== url.href) return null;
  return target;
}

/**
 * `?next=`: `raw` as a same-origin path to return to after sign-in, or `fallback` (the dashboard).
 * Never an API answer, and never the sign-in or sign-up page again.
 */
export function safeReturnPath(raw: unknown, publicUrl: string | null, fallback: string = DEFAULT_RETURN_PATH): string {
  const target = sameOriginTarget(raw, publicUrl);
  if (target === null) return fallback;
  let path: string;
  try {
    path = decodeURIComponent(new URL(target, PATHS_ONLY_BASE).pathname);
  } catch {
    return fallback; // malformed percent-encoding: no page of ours has such a path
  }
  return /^\/(api|sign-in|sign-up)(\/|$)/i.test(path) ? fallback : target;
}

/** The sign-in page's `?next=` (a repeated parameter counts by its first value): safeReturnPath's answer. */
export function nextFromQuery(next: string | string[] | undefined, publicUrl: string): string {
  return safeReturnPath(Array.isArray(next) ? next[0] : next, publicUrl);
}

export type SignInReason = "signed-out";

/**
 * The sign-in page's address that returns to `next` afterwards. `next` is a path of the caller's own
 * (the current page); the sign-in page checks it again against BETTER_AUTH_URL's origin.
 */
export function signInHref(next?: string, reason?: SignInReason): string {
  const query = new URLSearchParams();
  const path = next === undefined ? undefined : safeReturnPath(next, null);
  if (path && path !== DEFAULT_RETURN_PATH) query.set("next", path);
  if (reason) query.set("reason", reason);
  const qs = query.toString();
  return qs ? `/sign-in?${qs}` : "/sign-in";
}
