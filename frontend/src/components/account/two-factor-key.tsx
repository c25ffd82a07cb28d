"use client";
// The enrolment's key, twice (docs/security.md "Two-step sign-in"): a QR code of the otpauth:// URI
// for an authenticator app's camera, and the key in text, in groups of four with a copy button, for
// an app on this very phone. The QR code is the `qrcode` library's module matrix drawn here as one SVG
// path: no image, no data: URL and no style attribute (the Content-Security-Policy allows none).
import { create } from "qrcode";
import { useMemo } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { groupedKey, keyOf } from "./two-factor-words";

/** White space around the code, in modules (the QR specification asks for four). */
const QUIET = 4;

/** The dark modules of the QR code of `text` as one SVG path (a run of dark modules per rectangle), and its size. */
function qrPath(text: string): { d: string; size: number } {
  const { modules } = create(text, { errorCorrectionLevel: "M" });
  const parts: string[] = [];
  for (let y = 0; y < modules.size; y++) {
    let x = 0;
    while (x < modules.size) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < modules.size && modules.get(y, x)) x++;
      parts.push(`M${start + QUIET} ${y + QUIET}h${x - start}v1h-${x - start}z`);
    }
  }
  return { d: parts.join(""), size: modules.size + 2 * QUIET };
}

async function copy(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    toast.success(`${what} copied`);
  } catch {
    toast.error(`Could not copy. Select the ${what.toLowerCase()} and copy it yourself.`);
  }
}

export function TwoFactorKey({ totpURI }: { totpURI: string }) {
  const qr = useMemo(() => qrPath(totpURI), [totpURI]);
  const key = keyOf(totpURI);
  return (
    <div className="grid gap-4 sm:grid-cols-[auto_1fr] sm:items-start">
      {/* Black on white in both themes: what every authenticator's camera reads best. */}
      <svg
        viewBox={`0 0 ${qr.size} ${qr.size}`}
        className="size-48 justify-self-center rounded-md border border-input"
        role="img"
        aria-label="QR code of your two-step sign-in key"
        shapeRendering="crispEdges"
        data-testid="two-factor-qr"
      >
        <rect width={qr.size} height={qr.size} fill="#ffffff" />
        <path d={qr.d} fill="#000000" />
      </svg>
      <div className="grid gap-2 text-sm">
        <p className="m-0">Scan this with your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …).</p>
        <p className="m-0 text-muted-foreground">Can&apos;t scan it? Enter this key in the app instead:</p>
        <p className="m-0 font-mono text-base font-semibold [overflow-wrap:anywhere]" data-testid="two-factor-key">
          {groupedKey(key)}
        </p>
        <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => void copy(key, "Key")}>
          Copy key
        </Button>
      </div>
    </div>
  );
}
