"use client";
// A confirmation link for another account, opened while signed in (docs/security.md "Login CSRF"):
// never switch silently. Sign out and continue with the link, or stay.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "../reach";
import { Button } from "../ui/button";

export function SwitchAccountChoice() {
  const router = useRouter();
  const [state, setState] = useState<"idle" | "sending" | "failed">("idle");
  async function signOutAndContinue() {
    setState("sending");
    const result = await reach((signal) => authClient.signOut({ fetchOptions: { signal } }));
    if (!result.reached || result.value.error) return setState("failed");
    router.refresh(); // the same page, now without a session: it asks for this account's credential
  }
  return (
    <div className="grid gap-3">
      {state === "failed" ? (
        <p role="alert" className="m-0 text-sm text-destructive">
          {NETWORK_ERROR_MESSAGE}
        </p>
      ) : null}
      <Button onClick={signOutAndContinue} disabled={state === "sending"}>
        {state === "sending" ? "Signing out…" : "Sign out and continue"}
      </Button>
      <Button asChild variant="outline">
        <Link href="/dashboard">Stay signed in</Link>
      </Button>
    </div>
  );
}
