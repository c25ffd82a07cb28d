"use client";
// The task list of /dashboard: add, edit, complete/uncomplete, delete. Every change runs a server
// action (src/app/dashboard/actions.ts); the browser never sees the backend token. Every outcome is
// said where it happened: a toast for a change that worked, an inline error on the form or the
// task for one that did not (never a replaced page), and what was typed is kept.
import { Pencil, Trash2 } from "lucide-react";
import { useEffect, useOptimistic, useRef, useState, useTransition, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { createTask, deleteTask, updateTask, type ActionResult } from "@/app/dashboard/actions";
// Type-only: erased from the browser bundle, so the client module's `server-only` guard never runs here.
import type { Task } from "@/lib/backend/client";
import type { ErrorBody } from "@/lib/error-codes";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { SignedOutNotice } from "./signed-out-notice";
import { Button } from "./ui/button";
import { Card, CardContent } from "./ui/card";
import { ConfirmDialog } from "./ui/dialog";
import { FieldError } from "./ui/field";
import { Input, Textarea } from "./ui/input";
import { Label } from "./ui/label";
import { toast } from "./ui/toaster";
import { focusById } from "./use-fields";

type Errors = Partial<Record<"title" | "description" | "form", string>>;
type Outcome = { ok: true } | { ok: false; errors: Errors; signedOut: boolean };

/** A task's title and description kept across a sign-in when the session ended mid-typing. */
const DRAFT_KEY = "authbridge:task-draft";

function toErrors(error: ErrorBody): Errors {
  if (!error.fields?.length) return { form: error.message };
  const out: Errors = {};
  for (const f of error.fields) {
    const key = f.field === "title" || f.field === "description" ? f.field : "form";
    out[key] ??= f.message;
  }
  return out;
}

/** Runs a server action with a deadline; never throws (an unreachable server is an inline error). */
async function perform(action: () => Promise<ActionResult>): Promise<Outcome> {
  const result = await reach(() => action());
  if (!result.reached) return { ok: false, errors: { form: NETWORK_ERROR_MESSAGE }, signedOut: false };
  if (result.value.ok) return { ok: true };
  return { ok: false, errors: toErrors(result.value.error), signedOut: result.value.error.code === "SIGNED_OUT" };
}

/** Checks the title in the browser first, so an empty title never leaves the page. */
function localErrors(title: string): Errors {
  return title.trim() ? {} : { title: "Enter a title." };
}

function TaskFields({ idPrefix, title, description, errors, onTitle, onDescription, titleTouched }: {
  idPrefix: string;
  title: string;
  description: string;
  errors: Errors;
  onTitle: (v: string) => void;
  onDescription: (v: string) => void;
  titleTouched: boolean;
}) {
  // Once submitted, the title is judged as it is typed, so its message never outlives the mistake.
  const titleError = (titleTouched ? localErrors(title).title : undefined) ?? errors.title;
  return (
    <>
      <div className="grid gap-2">
        <Label htmlFor={`${idPrefix}-title`}>Title</Label>
        <Input
          id={`${idPrefix}-title`}
          type="text"
          value={title}
          maxLength={200}
          required
          onChange={(e) => onTitle(e.target.value)}
          aria-invalid={titleError ? true : undefined}
          aria-describedby={titleError ? `${idPrefix}-title-error` : undefined}
        />
        <FieldError id={`${idPrefix}-title-error`} message={titleError} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${idPrefix}-description`}>Description</Label>
        <Textarea
          id={`${idPrefix}-description`}
          value={description}
          maxLength={2000}
          onChange={(e) => onDescription(e.target.value)}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? `${idPrefix}-description-error` : undefined}
        />
        <FieldError id={`${idPrefix}-description-error`} message={errors.description} />
      </div>
    </>
  );
}

function AddTaskForm() {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [touched, setTouched] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const [pending, startTransition] = useTransition();

  // A draft saved when the session ended comes back after signing in again.
  useEffect(() => {
    const saved = sessionStorage.getItem(DRAFT_KEY);
    if (!saved) return;
    sessionStorage.removeItem(DRAFT_KEY);
    try {
      const draft = JSON.parse(saved) as { title?: unknown; description?: unknown };
      // eslint-disable-next-line react-hooks/set-state-in-effect -- restoring browser-only storage after hydration
      if (typeof draft.title === "string") setTitle(draft.title);
      if (typeof draft.description === "string") setDescription(draft.description);
      toast.info("Restored the task you were writing.");
    } catch {
      // A draft we cannot read is dropped.
    }
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setTouched(true);
    const local = localErrors(title);
    setErrors(local);
    if (local.title) return focusById("new-task-title");
    startTransition(async () => {
      const outcome = await perform(() => createTask({ title, description }));
      if (!outcome.ok) {
        setErrors(outcome.errors);
        if (outcome.signedOut) {
          sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ title, description }));
          setSignedOut(true);
          return focusById("new-task-signed-out");
        }
        return focusById(outcome.errors.title ? "new-task-title" : outcome.errors.description ? "new-task-description" : "new-task-error");
      }
      setTitle("");
      setDescription("");
      setTouched(false);
      toast.success(`Task added: ${title.trim()}`);
      focusById("new-task-title"); // ready for the next one
    });
  }

  return (
    <Card>
      <CardContent>
        <form className="grid gap-4" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label="Add a task">
          <h2 className="m-0 text-lg font-semibold">Add a task</h2>
          {signedOut ? <SignedOutNotice id="new-task-signed-out" /> : null}
          <TaskFields
            idPrefix="new-task"
            title={title}
            description={description}
            errors={errors}
            onTitle={(v) => {
              setTitle(v);
              setErrors((e) => ({ ...e, title: undefined, form: undefined }));
            }}
            onDescription={(v) => {
              setDescription(v);
              setErrors((e) => ({ ...e, description: undefined }));
            }}
            titleTouched={touched}
          />
          {errors.form && !signedOut ? (
            <p id="new-task-error" tabIndex={-1} className="m-0 text-sm font-medium text-destructive" role="alert">
              {errors.form}
            </p>
          ) : null}
          <div>
            <Button type="submit" disabled={pending}>
              {pending ? "Adding…" : "Add task"}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

/** `focusTarget`: where focus goes once this task is deleted (its own buttons are gone). */
function TaskItem({ task, focusTarget }: { task: Task; focusTarget: () => HTMLElement | null }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description);
  const [errors, setErrors] = useState<Errors>({});
  const [signedOut, setSignedOut] = useState(false);
  const [touched, setTouched] = useState(false);
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<"saving" | "toggling" | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const refocusEdit = useRef(false);
  const deleted = useRef(false);
  // The checkbox flips at once; the server action confirms it (or the error shows and it flips back).
  const [completed, setOptimisticCompleted] = useOptimistic(task.completed);
  const prefix = `task-${task.id}`;

  // Back on the Edit button once the edit is over (saved or cancelled) and the button is enabled again.
  useEffect(() => {
    if (!editing && !pending && refocusEdit.current) {
      refocusEdit.current = false;
      editButton.current?.focus();
    }
  }, [editing, pending]);

  function fail(outcome: Exclude<Outcome, { ok: true }>) {
    setErrors(outcome.errors);
    setSignedOut(outcome.signedOut);
  }

  function onToggle(checked: boolean) {
    setBusy("toggling");
    setErrors({});
    startTransition(async () => {
      setOptimisticCompleted(checked);
      const outcome = await perform(() => updateTask(task.id, { completed: checked }));
      setBusy(null);
      if (!outcome.ok) return fail(outcome);
      toast.success(checked ? `Completed: ${task.title}` : `Reopened: ${task.title}`);
    });
  }

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setTouched(true);
    const local = localErrors(title);
    setErrors(local);
    if (local.title) return focusById(`${prefix}-title`);
    setBusy("saving");
    startTransition(async () => {
      const outcome = await perform(() => updateTask(task.id, { title, description }));
      setBusy(null);
      if (!outcome.ok) return fail(outcome);
      toast.success("Task updated");
      refocusEdit.current = true;
      setEditing(false);
    });
  }

  function startEditing() {
    setTitle(task.title);
    setDescription(task.description);
    setErrors({});
    setTouched(false);
    setEditing(true);
    focusById(`${prefix}-title`);
  }

  function cancelEditing() {
    refocusEdit.current = true;
    setErrors({});
    setEditing(false);
  }

  function onEditKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === "Escape" && !pending) {
      event.preventDefault();
      cancelEditing();
    }
  }

  async function onDelete(): Promise<boolean> {
    const outcome = await perform(() => deleteTask(task.id));
    if (!outcome.ok) {
      fail(outcome);
      return true; // closes the dialog; the error shows on the task
    }
    toast.success(`Task deleted: ${task.title}`);
    deleted.current = true;
    return true;
  }

  const checkboxId = `${prefix}-completed`;
  const errorText = errors.form ?? errors.title ?? errors.description;
  return (
    <li className="rounded-lg border border-input bg-card p-4" data-completed={completed} data-testid="task-item" aria-busy={pending}>
      {editing ? (
        <form className="grid gap-4" onSubmit={onSave} onKeyDown={onEditKeyDown} noValidate aria-label={`Edit ${task.title}`}>
          {/* The title stays visible while editing, so the item is still found by its text. */}
          <p className="m-0 text-sm text-muted-foreground">
            Editing <span className="font-semibold text-foreground">{task.title}</span> · Escape cancels
          </p>
          <TaskFields
            idPrefix={prefix}
            title={title}
            description={description}
            errors={errors}
            onTitle={setTitle}
            onDescription={setDescription}
            titleTouched={touched}
          />
          {signedOut ? <SignedOutNotice /> : <FieldError id={`${prefix}-error`} message={errors.form} />}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={pending}>
              {busy === "saving" ? "Saving…" : "Save"}
            </Button>
            <Button variant="outline" onClick={cancelEditing} disabled={pending}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="grid gap-3">
          <div className="flex items-start gap-3">
            <input
              id={checkboxId}
              type="checkbox"
              className="mt-0.5 size-5 shrink-0 cursor-pointer accent-primary"
              checked={completed}
              disabled={pending}
              onChange={(e) => onToggle(e.target.checked)}
              aria-describedby={`${prefix}-title-text`}
            />
            <div className="grid min-w-0 flex-1 gap-1">
              <label htmlFor={checkboxId} className="sr-only">
                Completed
              </label>
              <p id={`${prefix}-title-text`} className={`m-0 font-semibold [overflow-wrap:anywhere] ${completed ? "text-muted-foreground line-through" : ""}`}>
                {task.title}
              </p>
              {task.description ? <p className="m-0 whitespace-pre-wrap text-sm text-muted-foreground [overflow-wrap:anywhere]">{task.description}</p> : null}
            </div>
            <div className="flex shrink-0 gap-1">
              <Button ref={editButton} variant="ghost" size="sm" onClick={startEditing} disabled={pending} aria-label="Edit" title={`Edit ${task.title}`}>
                <Pencil aria-hidden />
                <span className="hidden sm:inline">Edit</span>
              </Button>
              <ConfirmDialog
                trigger={
                  <Button variant="ghost" size="sm" className="text-destructive hover:text-destructive" disabled={pending} aria-label="Delete" title={`Delete ${task.title}`}>
                    <Trash2 aria-hidden />
                    <span className="hidden sm:inline">Delete</span>
                  </Button>
                }
                title="Delete this task?"
                description={
                  <>
                    “<span className="[overflow-wrap:anywhere]">{task.title}</span>” will be deleted for good.
                  </>
                }
                confirmLabel="Delete task"
                pendingLabel="Deleting…"
                onConfirm={onDelete}
                focusAfterConfirm={() => (deleted.current ? focusTarget() : null)}
              />
            </div>
          </div>
          {signedOut ? <SignedOutNotice /> : <FieldError id={`${prefix}-error`} message={errorText} />}
        </div>
      )}
    </li>
  );
}

export function TaskManager({ tasks, emptyText, filters, pager }: { tasks: Task[]; emptyText: string; filters?: ReactNode; pager?: ReactNode }) {
  // After a delete, focus goes to the list's heading: the item it was on is gone.
  const headingAfterDelete = () => document.getElementById("tasks-heading");
  return (
    <div className="grid gap-6">
      <AddTaskForm />
      <section className="grid gap-3" aria-labelledby="tasks-heading">
        <h2 id="tasks-heading" tabIndex={-1} className="m-0 text-lg font-semibold focus:outline-none">
          Tasks
        </h2>
        {filters}
        {tasks.length === 0 ? (
          <p className="m-0 rounded-lg border border-dashed border-input p-6 text-center text-muted-foreground" data-testid="tasks-empty">
            {emptyText}
          </p>
        ) : (
          <ul className="m-0 grid list-none gap-3 p-0" role="list" aria-label="Tasks">
            {tasks.map((task) => (
              <TaskItem key={task.id} task={task} focusTarget={headingAfterDelete} />
            ))}
          </ul>
        )}
        {pager}
      </section>
    </div>
  );
}
