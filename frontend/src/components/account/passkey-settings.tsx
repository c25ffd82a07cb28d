"use client";
// Passkeys in Settings (docs/security.md "Passkeys"): the account's passkeys (name, when added, how
// it is kept), "Add a passkey" with a name, rename and remove. Every request goes through `reach`;
// a 401 means this browser's session ended (SignedOutNotice). The list is read again after each
// change, so what is shown is what the server holds.
import { useCallback, useEffect, useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "@/components/reach";
import { isSignedOutError, SignedOutNotice, useSignedOut } from "@/components/signed-out-notice";
import { PasskeyAddForm } from "./passkey-add-form";
import { type Listed, PasskeyList } from "./passkey-list";
import { changeFailure } from "./passkey-words";

export function PasskeySettings() {
  const [listed, setListed] = useState<Listed>({ state: "loading" });
  const [signedOut, onSignedOut] = useSignedOut();

  const load = useCallback(async () => {
    const got = await reach((signal) => authClient.passkey.listUserPasskeys({ fetchOptions: { signal } }));
    if (!got.reached) return setListed({ state: "failed", message: NETWORK_ERROR_MESSAGE });
    const { data, error } = got.value;
    if (isSignedOutError(error)) return onSignedOut();
    if (error || !data) return setListed({ state: "failed", message: changeFailure(error ?? {}, "list") });
    setListed({ state: "shown", items: data.map((p) => ({ id: p.id, name: p.name ?? null, createdAt: new Date(p.createdAt).toISOString(), deviceType: p.deviceType })) });
  }, [onSignedOut]);

  useEffect(() => {
    // The first read of the list, once mounted (no request while rendering on the server).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  return (
    <div className="grid gap-4" aria-busy={listed.state === "loading"}>
      {signedOut ? <SignedOutNotice /> : null}
      <PasskeyList listed={listed} onChanged={load} onSignedOut={onSignedOut} />
      <PasskeyAddForm onAdded={load} onSignedOut={onSignedOut} />
    </div>
  );
}
