"use client";
// Renaming a passkey in place (passkey-row.tsx): the same name rules as the server, checked first.
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { passkeyNameProblem } from "./passkey-words";
import { SubmitButton } from "@/components/ui/submit-button";

/** `onSave` answers whether the name was saved (the row closes the form then). */
export function RenameForm({ current, onCancel, onSave }: { current: string; onCancel: () => void; onSave: (name: string) => Promise<boolean> }) {
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
        <SubmitButton size="sm" disabled={saving}>
          {saving ? "Saving…" : "Save name"}
        </SubmitButton>
        <Button type="button" variant="ghost" size="sm" disabled={saving} onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
