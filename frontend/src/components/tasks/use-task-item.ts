"use client";
// What one task of the list does (task-item.tsx renders it). Completing, editing and deleting show at
// once (optimistic-tasks.ts): the checkbox flips, a saved edit closes the editor with the new text, a
// deleted task leaves the list. When the server refuses or cannot be reached, the task is as it was
// again and the reason shows on it; an edit that failed reopens with what was typed. A delete that
// worked can be undone from its toast.
import { type FormEvent, useState, useTransition } from "react";
import { deleteTask, updateTask, type ActionResult } from "@/server/task-actions";
import { toast } from "../ui/toaster";
import { focusById } from "../use-fields";
import type { ListTask, TaskChange } from "./optimistic-tasks";
import { useTaskList } from "./task-list-context";
import { type Errors, localErrors, type Outcome, perform } from "./task-outcome";

/** When a task leaves the list, focus goes to the list's heading: the item it was on is gone. */
const focusListHeading = () => document.getElementById("tasks-heading")?.focus();

/** The editor's fields: what is being typed, kept after a failed save. */
function useEditor(task: ListTask, prefix: string) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description);
  const [touched, setTouched] = useState(false);
  const open = () => {
    setTitle(task.title);
    setDescription(task.description);
    setTouched(false);
    setEditing(true);
    focusById(`${prefix}-title`);
  };
  const close = () => {
    setEditing(false);
    focusById(`${prefix}-edit`);
  };
  return { editing, setEditing, title, setTitle, description, setDescription, touched, setTouched, open, close };
}

const focusError = (outcome: Outcome, id: string) => (outcome.ok || outcome.signedOut ? undefined : focusById(id));

/** A change shown at once and sent to the server; a refusal's reason is kept for the task to show. */
function useMutation() {
  const list = useTaskList();
  const [errors, setErrors] = useState<Errors>({});
  const [signedOut, setSignedOut] = useState(false);
  const [pending, startTransition] = useTransition();
  /** Shows `change` at once, sends `action`, then `settle` with its outcome. */
  function mutate(change: TaskChange, action: () => Promise<ActionResult>, settle: (outcome: Outcome) => void) {
    setErrors({});
    setSignedOut(false);
    startTransition(async () => {
      list.change(change);
      const outcome = await perform(action);
      if (!outcome.ok) {
        setErrors(outcome.errors);
        setSignedOut(outcome.signedOut);
      }
      settle(outcome);
    });
  }
  return { list, errors, setErrors, signedOut, setSignedOut, pending, mutate };
}

export function useTaskItem(task: ListTask, prefix: string) {
  const editor = useEditor(task, prefix);
  const { list, errors, setErrors, signedOut, setSignedOut, pending, mutate } = useMutation();
  const busy = pending || Boolean(task.pending);

  function onToggle(completed: boolean) {
    if (busy) return;
    // In a filtered list, a task that no longer matches leaves it.
    const stays = list.shows(completed);
    mutate(stays ? { kind: "update", id: task.id, patch: { completed } } : { kind: "remove", id: task.id }, () => updateTask(task.id, { completed }), (outcome) =>
      outcome.ok ? toast.success(completed ? `Completed: ${task.title}` : `Reopened: ${task.title}`) : focusError(outcome, `${prefix}-error`),
    );
    if (!stays) focusListHeading();
  }

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    editor.setTouched(true);
    const local = localErrors(editor.title);
    setErrors(local);
    if (local.title) return focusById(`${prefix}-title`);
    const patch = { title: editor.title, description: editor.description };
    editor.close();
    mutate({ kind: "update", id: task.id, patch: { ...patch, title: patch.title.trim() } }, () => updateTask(task.id, patch), (outcome) => {
      if (outcome.ok) return void toast.success("Task updated");
      editor.setEditing(true); // what was typed is still in the fields
      focusError(outcome, outcome.errors.description ? `${prefix}-description` : `${prefix}-title`);
    });
  }

  const onDelete = () =>
    mutate({ kind: "remove", id: task.id }, () => deleteTask(task.id), (outcome) =>
      outcome.ok ? toast.success(`Task deleted: ${task.title}`, { action: { label: "Undo", onAction: () => list.restore(task) } }) : focusError(outcome, `${prefix}-error`),
    );

  const startEditing = () => {
    if (busy) return;
    setErrors({});
    editor.open();
  };
  const cancelEditing = () => {
    setErrors({});
    setSignedOut(false);
    editor.close();
  };
  const askDelete = () => list.askDelete({ title: task.title, onConfirm: onDelete });
  return { editor, errors, signedOut, busy, onToggle, onSave, startEditing, cancelEditing, askDelete };
}
