"use client";
// The task list of /dashboard: add, edit, complete/uncomplete, delete. Every change runs a server
// action (src/app/dashboard/actions.ts); the browser never sees the backend token.
import { useOptimistic, useState, useTransition, type FormEvent } from "react";
import { createTask, deleteTask, updateTask, type ActionResult } from "@/app/dashboard/actions";
// Type-only: erased from the browser bundle, so the client module's `server-only` guard never runs here.
import type { Task } from "@/lib/backend/client";
import type { ErrorBody } from "@/lib/error-codes";

type Errors = Partial<Record<"title" | "description" | "form", string>>;

function toErrors(error: ErrorBody): Errors {
  if (!error.fields?.length) return { form: error.message };
  const out: Errors = {};
  for (const f of error.fields) {
    const key = f.field === "title" || f.field === "description" ? f.field : "form";
    out[key] ??= f.message;
  }
  return out;
}

function ErrorText({ id, text }: { id: string; text?: string }) {
  return text ? (
    <p id={id} className="error" role="alert">
      {text}
    </p>
  ) : null;
}

function TaskFields({ idPrefix, title, description, errors, onTitle, onDescription }: {
  idPrefix: string;
  title: string;
  description: string;
  errors: Errors;
  onTitle: (v: string) => void;
  onDescription: (v: string) => void;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-title`}>Title</label>
        <input
          id={`${idPrefix}-title`}
          type="text"
          value={title}
          maxLength={200}
          required
          onChange={(e) => onTitle(e.target.value)}
          aria-invalid={errors.title ? true : undefined}
          aria-describedby={errors.title ? `${idPrefix}-title-error` : undefined}
        />
        <ErrorText id={`${idPrefix}-title-error`} text={errors.title} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-description`}>Description</label>
        <textarea
          id={`${idPrefix}-description`}
          value={description}
          maxLength={2000}
          onChange={(e) => onDescription(e.target.value)}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? `${idPrefix}-description-error` : undefined}
        />
        <ErrorText id={`${idPrefix}-description-error`} text={errors.description} />
      </div>
    </>
  );
}

/** Checks the title in the browser first, so an empty title never leaves the page. */
function localErrors(title: string): Errors {
  return title.trim() ? {} : { title: "Enter a title." };
}

function AddTaskForm() {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local = localErrors(title);
    setErrors(local);
    if (Object.keys(local).length) return;
    startTransition(async () => {
      const result = await createTask({ title, description });
      if (!result.ok) return setErrors(toErrors(result.error));
      setTitle("");
      setDescription("");
    });
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label="Add a task">
      <TaskFields idPrefix="new-task" title={title} description={description} errors={errors} onTitle={setTitle} onDescription={setDescription} />
      <ErrorText id="new-task-error" text={errors.form} />
      <div className="row">
        <button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add task"}
        </button>
      </div>
    </form>
  );
}

function TaskItem({ task }: { task: Task }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<"saving" | "deleting" | "toggling" | null>(null);
  // The checkbox flips at once; the server action confirms it (or the error shows and it flips back).
  const [completed, setOptimisticCompleted] = useOptimistic(task.completed);

  function run(kind: "saving" | "deleting" | "toggling", action: () => Promise<ActionResult>, after?: () => void) {
    setBusy(kind);
    setErrors({});
    startTransition(async () => {
      const result = await action();
      setBusy(null);
      if (!result.ok) return setErrors(toErrors(result.error));
      after?.();
    });
  }

  function onToggle(checked: boolean) {
    run("toggling", async () => {
      setOptimisticCompleted(checked);
      return updateTask(task.id, { completed: checked });
    });
  }

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local = localErrors(title);
    setErrors(local);
    if (Object.keys(local).length) return;
    run("saving", () => updateTask(task.id, { title, description }), () => setEditing(false));
  }

  function startEditing() {
    setTitle(task.title);
    setDescription(task.description);
    setErrors({});
    setEditing(true);
  }

  const checkboxId = `task-${task.id}-completed`;
  return (
    <li className="task" data-completed={completed} data-testid="task-item" aria-busy={pending}>
      {/* The title stays visible while editing, so the item is still found by its text. */}
      <p className="task-title">{task.title}</p>
      {editing ? (
        <form className="stack" onSubmit={onSave} noValidate aria-label={`Edit ${task.title}`}>
          <TaskFields idPrefix={`task-${task.id}`} title={title} description={description} errors={errors} onTitle={setTitle} onDescription={setDescription} />
          <ErrorText id={`task-${task.id}-error`} text={errors.form} />
          <div className="row">
            <button type="submit" disabled={pending}>
              {busy === "saving" ? "Saving…" : "Save"}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)} disabled={pending}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {task.description ? <p className="task-description">{task.description}</p> : null}
          <div className="row">
            <input id={checkboxId} type="checkbox" checked={completed} disabled={pending} onChange={(e) => onToggle(e.target.checked)} />
            <label htmlFor={checkboxId}>Completed</label>
            <button type="button" className="secondary" onClick={startEditing} disabled={pending}>
              Edit
            </button>
            <button type="button" className="danger" onClick={() => run("deleting", () => deleteTask(task.id))} disabled={pending}>
              {busy === "deleting" ? "Deleting…" : "Delete"}
            </button>
          </div>
          <ErrorText id={`task-${task.id}-error`} text={errors.form ?? errors.title ?? errors.description} />
        </>
      )}
    </li>
  );
}

export function TaskManager({ tasks, emptyText }: { tasks: Task[]; emptyText: string }) {
  return (
    <div className="stack">
      <AddTaskForm />
      {tasks.length === 0 ? (
        <p className="empty muted" data-testid="tasks-empty">
          {emptyText}
        </p>
      ) : (
        <ul className="tasks" role="list" aria-label="Tasks">
          {tasks.map((task) => (
            <TaskItem key={`${task.id}:${task.title}:${task.description}`} task={task} />
          ))}
        </ul>
      )}
    </div>
  );
}
