"use client";
// "Confirm it's you" with a passkey (docs/security.md "Step-up", "Passkeys"): the passkey ceremony of a
// sign-in, run while signed in. The server (src/server/second-factor/plugin.ts) accepts only a passkey
// of this account and confirms the SAME session (amr passkey, auth_time now) instead of making
// another: its answer then carries `authTime`. An answer without it is a sign-in, which means this
// session had ended meanwhile: that new session is not what was asked for, so it is signed out too.
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { NETWORK_ERROR_MESSAGE, reach } from "@/components/reach";
import { CEREMONY_TIMEOUT_MS, confirmFailure, NO_WEBAUTHN_MESSAGE, type PasskeyError } from "./passkey-words";

const canUseWebAuthn = () => typeof window !== "undefined" && typeof window.PublicKeyCredential === "function";
const confirmedThisSession = (data: unknown) => typeof data === "object" && data !== null && "authTime" in data;
/** Refusals of the ceremony itself answer 401 too; any other 401 means this session is gone. */
const CEREMONY_401_CODES = new Set(["PASSKEY_NOT_FOUND", "AUTHENTICATION_FAILED"]);

export function PasskeyConfirm({ onConfirmed, onSignedOut }: { onConfirmed: () => void; onSignedOut: () => void }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  async function confirm() {
    if (pending) return;
    setError(undefined);
    if (!canUseWebAuthn()) return setError(NO_WEBAUTHN_MESSAGE);
    setPending(true);
    const sent = await reach((signal) => authClient.signIn.passkey(undefined, { signal }), CEREMONY_TIMEOUT_MS);
    setPending(false);
    if (!sent.reached) return setError(NETWORK_ERROR_MESSAGE);
    const { data } = sent.value;
    const refused: PasskeyError | null = sent.value.error;
    if (!refused && confirmedThisSession(data)) return onConfirmed();
    if (!refused) {
      await reach(() => authClient.signOut());
      return onSignedOut();
    }
    if (refused.status === 401 && !CEREMONY_401_CODES.has(refused.code ?? "")) return onSignedOut();
    setError(confirmFailure(refused));
  }

  return (
    <div className="grid gap-3" aria-busy={pending}>
      <FormError message={error} />
      <Button type="button" variant="outline" disabled={pending} className="justify-self-start" onClick={() => void confirm()}>
        {pending ? "Waiting for your passkey…" : "Use a passkey"}
      </Button>
    </div>
  );
}
