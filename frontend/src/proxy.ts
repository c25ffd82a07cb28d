// Next.js Proxy (formerly middleware): every page gets a Content-Security-Policy with a fresh nonce
// (docs/security.md "Browser defences"). Next.js reads the nonce from the policy on the request and
// puts it on its own scripts and style tags; an injected inline script has no nonce and does not run.
// The other browser headers (nosniff, framing, referrer, permissions) are in next.config.ts.
import { NextResponse, type NextRequest } from "next/server";

/**
 * The policy for one page answer.
 * - scripts: only those carrying this request's nonce, and what they load ('strict-dynamic');
 *   'self' is the fallback for browsers without CSP 3. No 'unsafe-inline', no 'unsafe-eval'
 *   outside `next dev` (React's dev build rebuilds server error stacks with eval).
 * - styles: our stylesheet ('self') and Next's nonced style tags; no inline style attributes
 *   (none of our components uses one, and app/not-found.tsx replaces Next's inline-styled 404).
 *   `next dev` injects its CSS as un-nonced style tags, so dev alone allows 'unsafe-inline' there.
 * - nothing may frame us, change the base URL, submit forms elsewhere or load plugins.
 */
export function contentSecurityPolicy(nonce: string, opts: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${opts.dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = contentSecurityPolicy(nonce, {
    // NODE_ENV is the build mode Next.js inlines, not configuration (src/env.ts).
    // eslint-disable-next-line no-restricted-properties
    dev: process.env.NODE_ENV === "development",
    https: request.nextUrl.protocol === "https:",
  });
  // On the request, so that Next.js renders this page with the nonce; on the response, for the browser.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not /api/* (JSON; next.config.ts gives it a deny-all policy, and a proxy that
      // ran there would make Next.js buffer request bodies for it), not static files, not
      // prefetches (RSC payloads, no HTML) and not server actions (their POST bodies would be
      // buffered for the proxy too).
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
        { type: "header", key: "next-action" },
      ],
    },
  ],
};
