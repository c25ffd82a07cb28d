"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";

export function SignOutButtons() {
  const router = useRouter();
  const [pending, setPending] = useState<"one" | "all" | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function signOut(everywhere: boolean) {
    setPending(everywhere ? "all" : "one");
    setError(null);
    // Everywhere: delete every session of the user (each backend token dies with its session).
    const revoked = everywhere ? await authClient.revokeSessions() : { error: null };
    const { error: signOutError } = await authClient.signOut();
    if (revoked.error || signOutError) {
      setError("Could not sign out. Please try again.");
      setPending(null);
      return;
    }
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <div className="stack">
      <div className="row">
        <button type="button" className="secondary" onClick={() => signOut(false)} disabled={pending !== null}>
          {pending === "one" ? "Signing out…" : "Sign out"}
        </button>
        <button type="button" className="danger" onClick={() => signOut(true)} disabled={pending !== null}>
          {pending === "all" ? "Signing out everywhere…" : "Sign out everywhere"}
        </button>
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
