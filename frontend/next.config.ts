import type { NextConfig } from "next";
// Imported for its side effect too: a bad environment fails `next build`
// (root README.md "Configuration").
import { repoRoot } from "./src/env";

// Browser headers on every answer (docs/security.md "Browser defences"); pages get their
// Content-Security-Policy with a nonce from src/proxy.ts.
const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" }, // for browsers without CSP frame-ancestors
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  {
    key: "Permissions-Policy",
    value: [
      "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "geolocation",
      "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment",
      "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    ]
      .map((feature) => `${feature}=()`)
      // Passkeys (docs/security.md "Passkeys"): this origin's own pages only, never a frame of another.
      .concat("publickey-credentials-create=(self)", "publickey-credentials-get=(self)")
      .join(", "),
  },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // What a container or a server runs: .next/standalone/frontend/server.js with only the files it
  // needs, traced from the repository root (the npm workspaces' node_modules live there);
  // scripts/assemble-standalone.ts completes it, deploy/services.json starts it.
  output: "standalone",
  outputFileTracingRoot: repoRoot,
  // Answered by the router before any page renders (no render, no session look-up): /settings has
  // no page of its own. Not permanent, so that browsers do not keep it.
  async redirects() {
    return [{ source: "/settings", destination: "/settings/profile", permanent: false }];
  },
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      // JSON only: nothing in an /api answer may run, load or be framed.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
