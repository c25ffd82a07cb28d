"use client";
// Two-step sign-in in Settings (docs/security.md "Two-step sign-in"): being built.
export function TwoFactorSettings({ enabled, hasPassword }: { enabled: boolean; hasPassword: boolean }) {
  return <p className="m-0 text-sm text-muted-foreground">{enabled ? "Two-step sign-in is on." : hasPassword ? "Two-step sign-in is off." : "Set a password first."}</p>;
}
