"use client";
// Signing in with a passkey (docs/security.md "Passkeys"): the "Sign in with a passkey" button, and the
// browser's own offer of this site's passkeys in the email field (WebAuthn conditional mediation: the
// field says `autocomplete="username webauthn"`, sign-in-form.tsx), started once the page is up where
// the browser can do it. Either way the passkey is the whole sign-in: no password, no second step.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { Button } from "./ui/button";
import { FormError } from "./ui/form-error";
import { CEREMONY_TIMEOUT_MS, NO_WEBAUTHN_MESSAGE, type PasskeyError, signInFailure } from "./account/passkey-words";

const ERROR_ID = "passkey-error";
/** The offer in the email field waits for the person (an hour at most), and is renewed a bounded number of times. */
const AUTOFILL_OPEN_MS = 60 * 60_000;
const MAX_OFFERS = 20;

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

  // The browser's offer in the email field: it answers when the person picks a passkey there, or
  // ends when the button's ceremony takes over (then it is renewed once that one is done). The
  // server's refusal is said, and the offer renewed.
  const buttonRun = useRef<Promise<boolean>>(Promise.resolve(false));
  useEffect(() => {
    let live = true;
    void (async () => {
      if (!canUseWebAuthn() || !(await PublicKeyCredential.isConditionalMediationAvailable?.())) return;
      for (let offer = 0; live && offer < MAX_OFFERS; offer++) {
        const result = await reach((signal) => authClient.signIn.passkey({ autoFill: true }, { signal }), AUTOFILL_OPEN_MS);
        if (!live || !result.reached) return;
        const error: PasskeyError | null = result.value.error;
        if (!error) return signedIn();
        // The browser's own refusal (not offered, or no passkey for this site): the offer ends.
        if (error.code?.startsWith("ERROR_") && error.code !== "ERROR_CEREMONY_ABORTED") return;
        // The server refused the passkey picked there: said, and offered again.
        if (error.code !== "ERROR_CEREMONY_ABORTED") refused(signInFailure(error));
        // Never over the button's ceremony: a new one would end it.
        if (await buttonRun.current) return;
      }
    })();
    return () => {
      live = false;
    };
    // Once per page: `next` and the router are the page's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

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
