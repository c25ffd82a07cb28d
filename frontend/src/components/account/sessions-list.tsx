"use client";
// The signed-in sessions of the account, one row each, with a revoke button. Revoking deletes the
// session row: that device's backend tokens get 401 on their next request (docs/security.md
// "Revocation"). Revoking this device's session signs this browser out.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { UNREACHABLE } from "./email-request-form";
import { Button } from "@/components/ui/button";
import { LocalTime, timeText, useNow } from "@/components/ui/local-time";
import { isSignedOutError, SignedOutNotice, useSignedOut } from "@/components/signed-out-notice";

export interface SessionRow {
  id: string;
  /** Better Auth's session token: what /api/auth/revoke-session takes (the user's own sessions only). */
  token: string;
  device: string;
  address: string | null;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}

/** Revoking a session: which one is on its way, what went wrong, and a session of this browser that ended meanwhile. */
function useRevoke() {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Times in the reader's zone and language, relative ("2 hours ago"): src/components/ui/local-time.tsx.
  const clock = useNow();
  const [signedOut, onSignedOut] = useSignedOut();

  async function revoke(row: SessionRow) {
    setBusy(row.id);
    setError(null);
    try {
      const { error: failed } = await authClient.revokeSession({ token: row.token });
      if (isSignedOutError(failed)) return onSignedOut(); // this browser's own session ended meanwhile
      if (failed) {
        setError(failed.message ?? "Could not sign that session out. Try again.");
        return;
      }
      if (row.current) router.replace("/sign-in"); // signed out on purpose: nothing to explain
      router.refresh();
    } catch {
      setError(UNREACHABLE);
    } finally {
      setBusy(null);
    }
  }
  return { busy, error, clock, signedOut, revoke };
}

export function SessionsList({ rows }: { rows: SessionRow[] }) {
  const { busy, error, clock, signedOut, revoke } = useRevoke();

  return (
    <div className="grid gap-3">
      {signedOut ? <SignedOutNotice /> : null}
      {error ? (
        <p role="alert" className="m-0 text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <ul className="m-0 grid list-none gap-3 p-0" aria-label="Signed-in sessions">
        {rows.map((row) => (
          <li key={row.id} className="flex flex-wrap items-start justify-between gap-3 rounded-md border border-input p-3" data-testid="session-row" data-current={row.current}>
            <div className="grid gap-1 text-sm">
              <p className="m-0 font-medium">
                {row.device}
                {row.current ? <span className="ml-2 rounded bg-muted px-2 py-0.5 text-xs">This device</span> : null}
              </p>
              <p className="m-0 text-muted-foreground">Address: {row.address ?? "unknown"}</p>
              <p className="m-0 text-muted-foreground">
                Signed in <LocalTime iso={row.createdAt} /> · last used <LocalTime iso={row.lastUsedAt} />
              </p>
            </div>
            <Button
              type="button"
              onClick={() => void revoke(row)}
              disabled={busy !== null}
              aria-label={row.current ? "Sign out this device" : `Revoke ${row.device}, signed in ${timeText(row.createdAt, clock)}`}
              variant="outline" size="sm"
            >
              {busy === row.id ? "Revoking…" : row.current ? "Sign out" : "Revoke"}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
