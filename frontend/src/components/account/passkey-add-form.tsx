"use client";
// "Add a passkey" (docs/security.md "Passkeys"): a name, by default this device's ("Chrome 131 on
// Linux", as the sessions list names devices: device-name.ts), checked before the browser's prompt;
// then the WebAuthn registration (authClient.passkey.addPasskey), unlocked with the device's PIN,
// fingerprint or face. The account gets a mail that a passkey was added (the server sends it).
import { useEffect, useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { toast } from "@/components/ui/toaster";
import { NETWORK_ERROR_MESSAGE, reach } from "@/components/reach";
import { isSignedOutError } from "@/components/signed-out-notice";
import { describeDevice } from "./device-name";
import { addFailure, CEREMONY_TIMEOUT_MS, NO_WEBAUTHN_MESSAGE, passkeyNameProblem, type PasskeyError } from "./passkey-words";
import { SubmitButton } from "@/components/ui/submit-button";

const NAME_ID = "passkey-add-name";
const ERROR_ID = "passkey-add-error";

const canUseWebAuthn = () => typeof window !== "undefined" && typeof window.PublicKeyCredential === "function";

export function PasskeyAddForm({ onAdded, onSignedOut }: { onAdded: () => Promise<void>; onSignedOut: () => void }) {
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  // The device's name is known in the browser only; what the person typed meanwhile is kept.
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setName((typed) => typed || describeDevice(navigator.userAgent));
  }, []);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setError(undefined);
    const refused = passkeyNameProblem(name);
    setProblem(refused);
    if (refused) return document.getElementById(NAME_ID)?.focus();
    if (!canUseWebAuthn()) return fail(NO_WEBAUTHN_MESSAGE);
    setPending(true);
    const sent = await reach((signal) => authClient.passkey.addPasskey({ name: name.trim(), fetchOptions: { signal } }), CEREMONY_TIMEOUT_MS);
    setPending(false);
    if (!sent.reached) return fail(NETWORK_ERROR_MESSAGE);
    const refusal: PasskeyError | null = sent.value.error;
    if (isSignedOutError(refusal) && refusal?.code !== "PASSKEY_NOT_FOUND") return onSignedOut();
    if (refusal) return fail(addFailure(refusal));
    toast.success(`Passkey “${name.trim()}” added. You can sign in with it now.`);
    await onAdded();
  }

  function fail(message: string) {
    setError(message);
    document.getElementById(ERROR_ID)?.focus();
  }

  return (
    <form className="grid gap-3" onSubmit={(e) => void add(e)} aria-label="Add a passkey" noValidate aria-busy={pending}>
      <Field
        id={NAME_ID}
        label="Name of the new passkey"
        value={name}
        error={problem}
        autoComplete="off"
        hint={<p id={`${NAME_ID}-hint`} className="m-0 text-sm text-muted-foreground">So you can tell your passkeys apart, e.g. the device it is on.</p>}
        hintId={`${NAME_ID}-hint`}
        onChange={(e) => setName(e.target.value)}
      />
      <FormError id={ERROR_ID} message={error} />
      <SubmitButton disabled={pending} className="justify-self-start">
        {pending ? "Waiting for your device…" : "Add a passkey"}
      </SubmitButton>
    </form>
  );
}
