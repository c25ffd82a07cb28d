"use client";
// "Add a task": the task shows in the list at once (pending until the server has stored it) and the
// form is ready for the next one. When the server refuses or cannot be reached, the task leaves the
// list again and what was typed comes back into the form with the reason (or, if a next task is
// already being typed, the reason shows in a toast). A session that ended keeps the draft across
// signing in again.
import { useCallback, useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { createTask } from "@/server/task-actions";
import { SignedOutNotice } from "../signed-out-notice";
import { Button } from "../ui/button";
import { Card, CardContent } from "../ui/card";
import { toast } from "../ui/toaster";
import { focusById } from "../use-fields";
import { pendingTask } from "./optimistic-tasks";
import { TaskFields } from "./task-fields";
import { useTaskList } from "./task-list-context";
import { DRAFT_KEY, type Errors, type Failure, firstError, localErrors, perform } from "./task-outcome";

type Draft = { title: string; description: string };

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

export function AddTaskForm() {
  const list = useTaskList();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [touched, setTouched] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const [, startTransition] = useTransition();
  // What the form holds now, for a refusal that arrives after the user has started the next task.
  const typed = useRef<Draft>({ title: "", description: "" });
  useEffect(() => {
    typed.current = { title, description };
  }, [title, description]);
  const fill = useCallback((draft: Draft) => {
    setTitle(draft.title);
    setDescription(draft.description);
  }, []);
  useRestoredDraft(fill);

  function refused(input: Draft, outcome: Failure) {
    if (typed.current.title || typed.current.description) {
      toast.error(`“${input.title.trim()}” was not added: ${firstError(outcome.errors)}`);
      return;
    }
    fill(input);
    setErrors(outcome.errors);
    if (outcome.signedOut) {
      sessionStorage.setItem(DRAFT_KEY, JSON.stringify(input));
      setSignedOut(true);
      return focusById("new-task-signed-out");
    }
    focusById(outcome.errors.title ? "new-task-title" : outcome.errors.description ? "new-task-description" : "new-task-error");
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    const local = localErrors(title);
    setErrors(local);
    if (local.title) return focusById("new-task-title");
    const input = { title, description };
    fill({ title: "", description: "" });
    typed.current = { title: "", description: "" };
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

  return (
    <Card>
      <CardContent>
        <form className="grid gap-4" onSubmit={onSubmit} noValidate aria-label="Add a task">
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
            <Button type="submit">Add task</Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
