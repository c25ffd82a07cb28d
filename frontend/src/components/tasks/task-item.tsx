"use client";
// One task of the list. Completing, editing and deleting show at once (optimistic-tasks.ts): the
// checkbox flips, a saved edit closes the editor with the new text, a deleted task leaves the list.
// When the server refuses or cannot be reached, the task is as it was again and the reason shows
// on it; an edit that failed reopens with what was typed. A delete that worked can be undone from
// its toast for a few seconds.
import { useState, useTransition, type FormEvent } from "react";
import { deleteTask, updateTask } from "@/server/task-actions";
import { toast } from "../ui/toaster";
import { focusById } from "../use-fields";
import type { ListTask } from "./optimistic-tasks";
import { TaskEditor } from "./task-editor";
import { useTaskList } from "./task-list-context";
import { type Errors, type Failure, localErrors, perform } from "./task-outcome";
import { TaskView } from "./task-view";

/** When a task leaves the list, focus goes to the list's heading: the item it was on is gone. */
const headingAfterDelete = () => document.getElementById("tasks-heading");

export function TaskItem({ task }: { task: ListTask }) {
  const list = useTaskList();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description);
  const [errors, setErrors] = useState<Errors>({});
  const [signedOut, setSignedOut] = useState(false);
  const [touched, setTouched] = useState(false);
  const [pending, startTransition] = useTransition();
  const busy = pending || Boolean(task.pending);
  const prefix = `task-${task.id}`;

  function fail(outcome: Failure, focus: string) {
    setErrors(outcome.errors);
    setSignedOut(outcome.signedOut);
    if (!outcome.signedOut) focusById(focus);
  }

  function onToggle(completed: boolean) {
    if (busy) return;
    setErrors({});
    setSignedOut(false);
    startTransition(async () => {
      // In a filtered list, a task that no longer matches leaves it (and focus goes to the heading).
      const stays = list.shows(completed);
      list.change(stays ? { kind: "update", id: task.id, patch: { completed } } : { kind: "remove", id: task.id });
      if (!stays) headingAfterDelete()?.focus();
      const outcome = await perform(() => updateTask(task.id, { completed }));
      if (!outcome.ok) return fail(outcome, `${prefix}-error`);
      toast.success(completed ? `Completed: ${task.title}` : `Reopened: ${task.title}`);
    });
  }

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    const local = localErrors(title);
    setErrors(local);
    if (local.title) return focusById(`${prefix}-title`);
    const patch = { title, description };
    setEditing(false);
    setSignedOut(false);
    focusById(`${prefix}-edit`);
    startTransition(async () => {
      list.change({ kind: "update", id: task.id, patch: { title: patch.title.trim(), description: patch.description } });
      const outcome = await perform(() => updateTask(task.id, patch));
      if (!outcome.ok) {
        setEditing(true); // what was typed is still in the fields
        return fail(outcome, outcome.errors.description ? `${prefix}-description` : `${prefix}-title`);
      }
      toast.success("Task updated");
    });
  }

  function startEditing() {
    if (busy) return;
    setTitle(task.title);
    setDescription(task.description);
    setErrors({});
    setTouched(false);
    setEditing(true);
    focusById(`${prefix}-title`);
  }

  function cancelEditing() {
    setErrors({});
    setSignedOut(false);
    setEditing(false);
    focusById(`${prefix}-edit`);
  }

  function onDelete() {
    setErrors({});
    setSignedOut(false);
    startTransition(async () => {
      list.change({ kind: "remove", id: task.id });
      const outcome = await perform(() => deleteTask(task.id));
      if (!outcome.ok) return fail(outcome, `${prefix}-error`);
      toast.success(`Task deleted: ${task.title}`, { action: { label: "Undo", onAction: () => list.restore(task) } });
    });
  }

  return (
    <li
      className="rounded-lg border border-input bg-card p-4"
      hidden={task.removed}
      data-completed={task.completed}
      data-pending={task.pending ? "" : undefined}
      data-testid="task-item"
      aria-busy={busy}
    >
      {editing ? (
        <TaskEditor
          prefix={prefix}
          originalTitle={task.title}
          title={title}
          description={description}
          errors={errors}
          touched={touched}
          signedOut={signedOut}
          onTitle={setTitle}
          onDescription={setDescription}
          onSave={onSave}
          onCancel={cancelEditing}
        />
      ) : (
        <TaskView
          task={task}
          prefix={prefix}
          busy={busy}
          error={errors.form ?? errors.title ?? errors.description}
          signedOut={signedOut}
          onToggle={onToggle}
          onEdit={startEditing}
          onDelete={() => list.askDelete({ title: task.title, onConfirm: onDelete })}
        />
      )}
    </li>
  );
}
