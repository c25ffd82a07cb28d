"use client";
// The browser's offer of this site's passkeys in the sign-in page's email field (WebAuthn conditional
// mediation; the field says `autocomplete="username webauthn"`), for passkey-sign-in.tsx. The offer
// answers when the person picks a passkey there, or ends when the button's ceremony takes over (then
// it is renewed once that one is done, never over it: a new ceremony would end the button's). The
// server's refusal of the passkey picked is said, and the offer renewed; the browser's own refusal
// (no offer possible) ends it. Renewed a bounded number of times.
import { type RefObject, useEffect } from "react";
import { authClient } from "@/lib/auth-client";
import { reach } from "./reach";
import { type PasskeyError, signInFailure } from "./account/passkey-words";

/** The offer waits for the person (an hour at most). */
const AUTOFILL_OPEN_MS = 60 * 60_000;
const MAX_OFFERS = 20;

const canOffer = async () => typeof window !== "undefined" && typeof window.PublicKeyCredential === "function" && (await PublicKeyCredential.isConditionalMediationAvailable?.()) === true;

/** `buttonRun`: the button's ceremony under way, resolving to whether it signed in. */
export function usePasskeyAutofill(onSignedIn: () => void, onRefused: (message: string) => void, buttonRun: RefObject<Promise<boolean>>) {
  useEffect(() => {
    let live = true;
    void (async () => {
      if (!(await canOffer())) return;
      for (let offer = 0; live && offer < MAX_OFFERS; offer++) {
        const result = await reach((signal) => authClient.signIn.passkey({ autoFill: true }, { signal }), AUTOFILL_OPEN_MS);
        if (!live || !result.reached) return;
        const error: PasskeyError | null = result.value.error;
        if (!error) return onSignedIn();
        const superseded = error.code === "ERROR_CEREMONY_ABORTED";
        if (!superseded && error.code?.startsWith("ERROR_")) return;
        if (!superseded) onRefused(signInFailure(error));
        if (await buttonRun.current) return;
      }
    })();
    return () => {
      live = false;
    };
    // Once per page: the callbacks use the page's router and return path.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
