"use client";
// A task as a row of the list: its completed box, title and description, Edit and Delete (Delete
// asks first, in the list's one dialog: TaskManager). While a change of it is on its way the row is aria-busy and its controls refuse
// (aria-disabled, so focus can stay on them); an error shows on the row, focusable.
import { Pencil, Trash2 } from "lucide-react";
import { SignedOutNotice } from "../signed-out-notice";
import { Button } from "../ui/button";
import type { ListTask } from "./optimistic-tasks";

export function TaskView({ task, prefix, busy, error, signedOut, onToggle, onEdit, onDelete }: {
  task: ListTask;
  prefix: string;
  busy: boolean;
  error?: string;
  signedOut: boolean;
  onToggle: (checked: boolean) => void;
  onEdit: () => void;
  /** Opens the confirmation. */
  onDelete: () => void;
}) {
  const checkboxId = `${prefix}-completed`;
  const disabled = busy || undefined;
  return (
    <div className="grid gap-3">
      <div className="flex items-start gap-3">
        {/* The label is the touch target: 44 px square on a phone around a 20 px box (its text is for screen readers). */}
        <label htmlFor={checkboxId} className="-m-3 flex size-11 shrink-0 cursor-pointer items-center justify-center sm:m-0 sm:size-auto sm:pt-0.5">
          <input
            id={checkboxId}
            type="checkbox"
            className="size-5 cursor-pointer accent-primary aria-disabled:cursor-wait"
            checked={task.completed}
            aria-disabled={disabled}
            onChange={(e) => onToggle(e.target.checked)}
            aria-describedby={`${prefix}-title-text`}
          />
          <span className="sr-only">Completed</span>
        </label>
        <div className="grid min-w-0 flex-1 gap-1">
          <p id={`${prefix}-title-text`} className={`m-0 font-semibold [overflow-wrap:anywhere] ${task.completed ? "text-muted-foreground line-through" : ""}`}>
            {task.title}
          </p>
          {task.description ? <p className="m-0 whitespace-pre-wrap text-sm text-muted-foreground [overflow-wrap:anywhere]">{task.description}</p> : null}
          {task.pending ? <p className="m-0 text-xs text-muted-foreground">Saving…</p> : null}
        </div>
        <div className="flex shrink-0 gap-1">
          <Button id={`${prefix}-edit`} variant="ghost" size="sm" onClick={onEdit} aria-disabled={disabled} aria-label="Edit" title={`Edit ${task.title}`}>
            <Pencil aria-hidden />
            <span className="hidden sm:inline">Edit</span>
          </Button>
          <Button variant="ghost" size="sm" className="text-destructive hover:text-destructive" disabled={busy} onClick={onDelete} aria-label="Delete" title={`Delete ${task.title}`}>
            <Trash2 aria-hidden />
            <span className="hidden sm:inline">Delete</span>
          </Button>
        </div>
      </div>
      {signedOut ? (
        <SignedOutNotice />
      ) : error ? (
        <p id={`${prefix}-error`} tabIndex={-1} className="m-0 text-sm font-medium text-destructive" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
