"use client";
// One passkey in Settings (docs/security.md "Passkeys"): its name, when it was added (the reader's
// local time, like the sessions list) and how it is kept; Rename in place, Remove after a
// confirmation. Removing one only ends its use here: the device keeps it until deleted there.
import { useId, useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { LocalTime } from "@/components/ui/local-time";
import { NETWORK_ERROR_MESSAGE, reach } from "@/components/reach";
import { isSignedOutError } from "@/components/signed-out-notice";
import { changeFailure, describeKeeping, passkeyNameProblem, type PasskeyError } from "./passkey-words";

export interface PasskeyItem {
  id: string;
  name: string | null;
  createdAt: string;
  deviceType?: string | null;
}

type Sent = { ok: true } | { ok: false; message: string } | { ok: false; signedOut: true };

/** One request of this row, its failure as a sentence. */
async function send(run: (signal: AbortSignal) => Promise<{ error: PasskeyError | null }>, what: "rename" | "remove"): Promise<Sent> {
  const got = await reach(run);
  if (!got.reached) return { ok: false, message: NETWORK_ERROR_MESSAGE };
  const { error } = got.value;
  if (isSignedOutError(error)) return { ok: false, signedOut: true };
  return error ? { ok: false, message: changeFailure(error, what) } : { ok: true };
}

export function PasskeyRow({ item, onChanged, onSignedOut }: { item: PasskeyItem; onChanged: () => Promise<void>; onSignedOut: () => void }) {
  const [renaming, setRenaming] = useState(false);
  const [error, setError] = useState<string>();
  const label = item.name ?? "Unnamed passkey";
  const keeping = describeKeeping(item.deviceType);

  async function settle(sent: Sent): Promise<boolean> {
    if ("signedOut" in sent) {
      onSignedOut();
      return false;
    }
    if (!sent.ok) {
      setError(sent.message);
      return false;
    }
    setError(undefined);
    await onChanged();
    return true;
  }

  const remove = async () => {
    await settle(await send((signal) => authClient.passkey.deletePasskey({ id: item.id }, { signal }), "remove"));
  };

  return (
    <li className="grid gap-3 rounded-md border border-input p-3" data-testid="passkey-row">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1 text-sm">
          <p className="m-0 font-medium" data-testid="passkey-name">
            {label}
          </p>
          <p className="m-0 text-muted-foreground">
            Added <LocalTime iso={item.createdAt} />
            {keeping ? ` · ${keeping}` : null}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="outline" size="sm" aria-label={`Rename ${label}`} aria-expanded={renaming} onClick={() => setRenaming((r) => !r)}>
            Rename
          </Button>
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
            onConfirm={remove}
            focusAfterConfirm={() => document.getElementById("passkey-add-name")}
          />
        </div>
      </div>
      <FormError message={error} />
      {renaming ? (
        <RenameForm
          current={item.name ?? ""}
          onCancel={() => setRenaming(false)}
          onSave={async (name) => {
            const done = await settle(await send((signal) => authClient.passkey.updatePasskey({ id: item.id, name }, { signal }), "rename"));
            if (done) setRenaming(false);
            return done;
          }}
        />
      ) : null}
    </li>
  );
}

function RenameForm({ current, onCancel, onSave }: { current: string; onCancel: () => void; onSave: (name: string) => Promise<boolean> }) {
  const id = useId();
  const [name, setName] = useState(current);
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    const refused = passkeyNameProblem(name);
    setProblem(refused);
    if (refused) return document.getElementById(`${id}-name`)?.focus();
    setSaving(true);
    await onSave(name.trim());
    setSaving(false);
  }

  return (
    <form className="grid gap-3" onSubmit={(e) => void onSubmit(e)} aria-label={`Rename ${current || "the passkey"}`} noValidate>
      <Field id={`${id}-name`} label="New name" value={name} error={problem} autoComplete="off" autoFocus onChange={(e) => setName(e.target.value)} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" disabled={saving}>
          {saving ? "Saving…" : "Save name"}
        </Button>
        <Button type="button" variant="ghost" size="sm" disabled={saving} onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
