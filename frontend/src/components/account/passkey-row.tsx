"use client";
// One passkey in Settings (docs/security.md "Passkeys"): its name, when it was added (the reader's
// local time, like the sessions list) and how it is kept; Rename in place, Remove after a
// confirmation. Removing one only ends its use here: the device keeps it until deleted there.
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { LocalTime } from "@/components/ui/local-time";
import { NETWORK_ERROR_MESSAGE, reach } from "@/components/reach";
import { isSignedOutError } from "@/components/signed-out-notice";
import { PasskeyRemove } from "./passkey-remove";
import { RenameForm } from "./passkey-rename-form";
import { changeFailure, describeKeeping, type PasskeyError } from "./passkey-words";

export interface PasskeyItem {
  id: string;
  name: string | null;
  createdAt: string;
  deviceType?: string | null;
}

interface RowProps {
  item: PasskeyItem;
  onChanged: () => Promise<void>;
  onSignedOut: () => void;
}

/**
 * Sends one change of this row; on success reads the list again. Answers whether it was done; a
 * failure is set as the row's sentence, a 401 says signed out.
 */
function useChange({ onChanged, onSignedOut }: Omit<RowProps, "item">, setError: (message?: string) => void) {
  return async (run: (signal: AbortSignal) => Promise<{ error: PasskeyError | null }>, what: "rename" | "remove"): Promise<boolean> => {
    const got = await reach(run);
    if (!got.reached) {
      setError(NETWORK_ERROR_MESSAGE);
      return false;
    }
    const { error } = got.value;
    if (isSignedOutError(error)) {
      onSignedOut();
      return false;
    }
    if (error) {
      setError(changeFailure(error, what));
      return false;
    }
    setError(undefined);
    await onChanged();
    return true;
  };
}

export function PasskeyRow({ item, ...props }: RowProps) {
  const [renaming, setRenaming] = useState(false);
  const [error, setError] = useState<string>();
  const change = useChange(props, setError);
  const label = item.name ?? "Unnamed passkey";
  const keeping = describeKeeping(item.deviceType);

  async function rename(name: string) {
    const done = await change((signal) => authClient.passkey.updatePasskey({ id: item.id, name }, { signal }), "rename");
    if (done) setRenaming(false);
    return done;
  }

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
          <PasskeyRemove label={label} onRemove={async () => void (await change((signal) => authClient.passkey.deletePasskey({ id: item.id }, { signal }), "remove"))} />
        </div>
      </div>
      <FormError message={error} />
      {renaming ? <RenameForm current={item.name ?? ""} onCancel={() => setRenaming(false)} onSave={rename} /> : null}
    </li>
  );
}
