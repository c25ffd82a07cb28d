// Where sign-in sends the user back to: a path on this site only (never another origin, never a
// scheme or protocol-relative URL that the browser would resolve elsewhere), carried in `?next=`.
// `reason=signed-out` makes the sign-in page say why the user is there (a session that ended in
// another tab, a password change elsewhere, a revoked token).

export const DEFAULT_RETURN_PATH = "/dashboard";
const BASE = "http://return-path.invalid";

/** `raw` as a same-origin path (pathname + search + hash), or the dashboard when it is anything else. */
export function safeReturnPath(raw: unknown, fallback: string = DEFAULT_RETURN_PATH): string {
  if (typeof raw !== "string" || raw.length > 2048) return fallback;
  // Only "/x", never "//host" or "/\host" (browsers treat a backslash as a slash), no control characters.
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\") || /[\u0000-\u001f\u007f]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  // Back to the page the user was on, never to an API answer or into the sign-in/sign-up pages again.
  if (/^\/(api|sign-in|sign-up)(\/|$)/.test(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

export type SignInReason = "signed-out";

/** The sign-in page's address that returns to `next` afterwards. */
export function signInHref(next?: string, reason?: SignInReason): string {
  const query = new URLSearchParams();
  const path = next === undefined ? undefined : safeReturnPath(next);
  if (path && path !== DEFAULT_RETURN_PATH) query.set("next", path);
  if (reason) query.set("reason", reason);
  const qs = query.toString();
  return qs ? `/sign-in?${qs}` : "/sign-in";
}
