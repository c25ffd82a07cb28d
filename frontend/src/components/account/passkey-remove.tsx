"use client";
// "Remove" for one passkey (passkey-row.tsx), after a confirmation that says what it does: no more
// signing in with it here; the device keeps it until the person deletes it there. Focus then goes to
// the "Add a passkey" name field, the row being gone.
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";

export function PasskeyRemove({ label, onRemove }: { label: string; onRemove: () => Promise<void> }) {
  return (
    <ConfirmDialog
      trigger={
        <Button type="button" variant="outline" size="sm" aria-label={`Remove ${label}`}>
          Remove
        </Button>
      }
      title="Remove this passkey?"
      description={`You will no longer be able to sign in with “${label}”. It stays on your device until you delete it there.`}
      confirmLabel="Remove passkey"
      pendingLabel="Removing…"
      onConfirm={onRemove}
      focusAfterConfirm={() => document.getElementById("passkey-add-name")}
    />
  );
}
