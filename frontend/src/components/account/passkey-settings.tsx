"use client";
// Passkeys in Settings (docs/security.md "Passkeys"): being built.
export function PasskeySettings() {
  return <p className="m-0 text-sm text-muted-foreground">Passkeys.</p>;
}
