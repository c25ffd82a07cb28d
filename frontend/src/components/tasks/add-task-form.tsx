"use client";
// "Add a task" (what it does: use-add-task.ts).
import { SignedOutNotice } from "../signed-out-notice";
import { Card, CardContent } from "../ui/card";
import { TaskFields } from "./task-fields";
import { useAddTask } from "./use-add-task";
import { SubmitButton } from "@/components/ui/submit-button";

export function AddTaskForm() {
  const { fields, errors, touched, signedOut, onSubmit, onTitle, onDescription } = useAddTask();
  return (
    <Card>
      <CardContent>
        <form className="grid gap-4" onSubmit={onSubmit} noValidate aria-label="Add a task">
          <h2 className="m-0 text-lg font-semibold">Add a task</h2>
          {signedOut ? <SignedOutNotice id="new-task-signed-out" /> : null}
          <TaskFields
            idPrefix="new-task"
            title={fields.title}
            description={fields.description}
            errors={errors}
            onTitle={onTitle}
            onDescription={onDescription}
            titleTouched={touched}
          />
          {errors.form && !signedOut ? (
            <p id="new-task-error" tabIndex={-1} className="m-0 text-sm font-medium text-destructive" role="alert">
              {errors.form}
            </p>
          ) : null}
          <div>
            <SubmitButton>Add task</SubmitButton>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
