"use client";
// Signing in with a passkey (docs/security.md "Passkeys"): the "Sign in with a passkey" button, and the
// browser's own offer of this site's passkeys in the email field (WebAuthn conditional mediation: the
// field says `autocomplete="username webauthn"`, sign-in-form.tsx), started once the page is up where
// the browser can do it. Either way the passkey is the whole sign-in: no password, no second step.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { Button } from "./ui/button";
import { FormError } from "./ui/form-error";

const ERROR_ID = "passkey-error";
/** A passkey ceremony waits for the person: longer than a form's deadline. */
const CEREMONY_TIMEOUT_MS = 120_000;

interface PasskeyError {
  code?: string;
  status?: number;
  message?: string;
}

/** One sentence for a passkey sign-in that did not happen. */
export function passkeyFailure(error: PasskeyError): string {
  if (error.code === "AUTH_CANCELLED" || error.code === "ERROR_CEREMONY_ABORTED") return "No passkey was used. Try again, or sign in with your password.";
  if (error.code === "PASSKEY_NOT_FOUND") return "This passkey is not registered here any more. Sign in with your password, then add it again in Settings.";
  if (error.code === "USER_VERIFICATION_REQUIRED" || error.code === "RATE_LIMITED") return error.message!;
  if (error.status === 503) return "Sign-in is temporarily unavailable. Please try again in a few seconds.";
  return "Could not sign in with the passkey. Try again, or sign in with your password.";
}

const canUseWebAuthn = () => typeof window !== "undefined" && typeof window.PublicKeyCredential === "function";

/** `next` is where to go after signing in: already checked to be a path on this site (src/lib/return-path.ts). */
export function PasskeySignIn({ next }: { next: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  const signedIn = () => {
    router.replace(next);
    router.refresh();
  };

  // The browser's offer in the email field: it answers only when the person picks a passkey there.
  useEffect(() => {
    let live = true;
    void (async () => {
      if (!canUseWebAuthn() || !(await PublicKeyCredential.isConditionalMediationAvailable?.())) return;
      const result = await authClient.signIn.passkey({ autoFill: true });
      if (live && !result.error) signedIn();
    })();
    return () => {
      live = false;
    };
    // Once per page: the ceremony stays open until the person uses it or leaves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function signIn() {
    if (pending) return;
    setError(undefined);
    if (!canUseWebAuthn()) return setError("This browser cannot use passkeys. Sign in with your password.");
    setPending(true);
    const result = await reach(() => authClient.signIn.passkey(), CEREMONY_TIMEOUT_MS);
    if (result.reached && !result.value.error) return signedIn();
    setPending(false);
    setError(result.reached ? passkeyFailure(result.value.error ?? {}) : NETWORK_ERROR_MESSAGE);
    document.getElementById(ERROR_ID)?.focus();
  }

  return (
    <div className="grid gap-3" aria-busy={pending}>
      <FormError id={ERROR_ID} message={error} />
      <Button type="button" variant="outline" className="w-full" disabled={pending} onClick={() => void signIn()}>
        {pending ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </Button>
    </div>
  );
}
