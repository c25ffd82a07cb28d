"use client";
// What "Add a task" does (add-task-form.tsx renders it): the task shows in the list at once (pending
// until the server has stored it) and the form is ready for the next one. When the server refuses or
// cannot be reached, the task leaves the list again and what was typed comes back into the form with
// the reason (or, if a next task is already being typed, the reason shows in a toast). A session that
// ended keeps the draft across signing in again.
import { type FormEvent, useCallback, useEffect, useRef, useState, useTransition } from "react";
import { createTask } from "@/server/task-actions";
import { toast } from "../ui/toaster";
import { focusById } from "../use-fields";
import { pendingTask } from "./optimistic-tasks";
import { useTaskList } from "./task-list-context";
import { DRAFT_KEY, type Errors, type Failure, firstError, localErrors, perform } from "./task-outcome";

export type Draft = { title: string; description: string };
const EMPTY: Draft = { title: "", description: "" };

/** The draft saved when the session ended comes back once, after signing in again. */
function useRestoredDraft(restore: (draft: Draft) => void) {
  useEffect(() => {
    const saved = sessionStorage.getItem(DRAFT_KEY);
    if (!saved) return;
    sessionStorage.removeItem(DRAFT_KEY);
    try {
      const draft = JSON.parse(saved) as { title?: unknown; description?: unknown };
      restore({ title: typeof draft.title === "string" ? draft.title : "", description: typeof draft.description === "string" ? draft.description : "" });
      toast.info("Restored the task you were writing.");
    } catch {
      // A draft we cannot read is dropped.
    }
  }, [restore]);
}

export function useAddTask() {
  const list = useTaskList();
  const [fields, setFields] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [touched, setTouched] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const [, startTransition] = useTransition();
  // What the form holds now, for a refusal that arrives after the user has started the next task.
  const typed = useRef<Draft>(EMPTY);
  useEffect(() => {
    typed.current = fields;
  }, [fields]);
  useRestoredDraft(useCallback((draft: Draft) => setFields(draft), []));

  function refused(input: Draft, outcome: Failure) {
    if (typed.current.title || typed.current.description) return void toast.error(`“${input.title.trim()}” was not added: ${firstError(outcome.errors)}`);
    setFields(input);
    setErrors(outcome.errors);
    if (!outcome.signedOut) return focusById(outcome.errors.title ? "new-task-title" : outcome.errors.description ? "new-task-description" : "new-task-error");
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(input));
    setSignedOut(true);
    focusById("new-task-signed-out");
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    const local = localErrors(fields.title);
    setErrors(local);
    if (local.title) return focusById("new-task-title");
    const input = fields;
    setFields(EMPTY);
    typed.current = EMPTY;
    setTouched(false);
    setSignedOut(false);
    focusById("new-task-title"); // ready for the next one
    startTransition(async () => {
      if (list.admits(false)) list.change({ kind: "add", task: pendingTask({ ...input, completed: false }) });
      const outcome = await perform(() => createTask(input));
      if (outcome.ok) toast.success(`Task added: ${input.title.trim()}`);
      else refused(input, outcome);
    });
  }

  const onTitle = (title: string) => {
    setFields((f) => ({ ...f, title }));
    setErrors((e) => ({ ...e, title: undefined, form: undefined }));
  };
  const onDescription = (description: string) => {
    setFields((f) => ({ ...f, description }));
    setErrors((e) => ({ ...e, description: undefined }));
  };
  return { fields, errors, touched, signedOut, onSubmit, onTitle, onDescription };
}
