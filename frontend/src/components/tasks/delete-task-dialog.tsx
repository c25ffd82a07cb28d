"use client";
// "Delete this task?", one for the whole list (use-task-list-state.ts says which task it asks about).
import { ConfirmDialog } from "../ui/dialog";
import type { DeleteRequest } from "./task-list-context";

export function DeleteTaskDialog({ request, open, onOpenChange }: { request: DeleteRequest | null; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Delete this task?"
      description={
        <>
          “<span className="[overflow-wrap:anywhere]">{request?.title}</span>” will be deleted. You can undo it for a few seconds.
        </>
      }
      confirmLabel="Delete task"
      onConfirm={() => request?.onConfirm()}
      // The task's row is gone at once: focus goes to the list's heading.
      focusAfterConfirm={() => document.getElementById("tasks-heading")}
    />
  );
}
