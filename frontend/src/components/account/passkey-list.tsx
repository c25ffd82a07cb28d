"use client";
// The account's passkeys as Settings shows them (passkey-settings.tsx reads them): while loading, a
// failure, none yet (what a passkey is, in one line), or one row each.
import { FormError } from "@/components/ui/form-error";
import { type PasskeyItem, PasskeyRow } from "./passkey-row";

export type Listed = { state: "loading" } | { state: "failed"; message: string } | { state: "shown"; items: PasskeyItem[] };

export function PasskeyList({ listed, onChanged, onSignedOut }: { listed: Listed; onChanged: () => Promise<void>; onSignedOut: () => void }) {
  if (listed.state === "loading") return <p className="m-0 text-sm text-muted-foreground">Loading your passkeys…</p>;
  if (listed.state === "failed") return <FormError message={listed.message} />;
  if (listed.items.length === 0) {
    return (
      <p className="m-0 text-sm" data-testid="passkeys-empty">
        You have no passkeys yet. A passkey lets you sign in with your fingerprint, face or screen lock, with no password to type or leak.
      </p>
    );
  }
  return (
    <ul className="m-0 grid list-none gap-3 p-0" aria-label="Your passkeys">
      {listed.items.map((item) => (
        <PasskeyRow key={item.id} item={item} onChanged={onChanged} onSignedOut={onSignedOut} />
      ))}
    </ul>
  );
}
