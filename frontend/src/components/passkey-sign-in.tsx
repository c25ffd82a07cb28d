"use client";
// Signing in with a passkey (docs/security.md "Passkeys"): the "Sign in with a passkey" button, and the
// browser's own offer of this site's passkeys in the email field (WebAuthn conditional mediation: the
// field says `autocomplete="username webauthn"`, sign-in-form.tsx), started once the page is up where
// the browser can do it. Either way the passkey is the whole sign-in: no password, no second step.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { Button } from "./ui/button";
import { FormError } from "./ui/form-error";
import { CEREMONY_TIMEOUT_MS, NO_WEBAUTHN_MESSAGE, signInFailure } from "./account/passkey-words";
import { usePasskeyAutofill } from "./use-passkey-autofill";

const ERROR_ID = "passkey-error";

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

  function refused(message: string) {
    setError(message);
    document.getElementById(ERROR_ID)?.focus();
  }

  // The button's ceremony under way: the email field's offer waits for it (use-passkey-autofill.ts).
  const buttonRun = useRef<Promise<boolean>>(Promise.resolve(false));
  usePasskeyAutofill(signedIn, refused, buttonRun);

  async function signIn() {
    if (pending) return;
    setError(undefined);
    if (!canUseWebAuthn()) return refused(NO_WEBAUTHN_MESSAGE);
    setPending(true);
    const run = reach((signal) => authClient.signIn.passkey(undefined, { signal }), CEREMONY_TIMEOUT_MS);
    buttonRun.current = run.then((r) => r.reached && !r.value.error);
    const result = await run;
    if (result.reached && !result.value.error) return signedIn();
    setPending(false);
    refused(result.reached ? signInFailure(result.value.error ?? {}) : NETWORK_ERROR_MESSAGE);
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
