"use client";
// A task being edited: its fields, Save and Cancel; Escape cancels. The title being edited stays in
// view, so the item is still found by its text.
import type { FormEvent, KeyboardEvent } from "react";
import { SignedOutNotice } from "../signed-out-notice";
import { Button } from "../ui/button";
import { FieldError } from "../ui/field";
import { TaskFields } from "./task-fields";
import type { Errors } from "./task-outcome";
import { SubmitButton } from "@/components/ui/submit-button";

export function TaskEditor({ prefix, originalTitle, title, description, errors, touched, signedOut, onTitle, onDescription, onSave, onCancel }: {
  prefix: string;
  originalTitle: string;
  title: string;
  description: string;
  errors: Errors;
  touched: boolean;
  signedOut: boolean;
  onTitle: (v: string) => void;
  onDescription: (v: string) => void;
  onSave: (event: FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
}) {
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    }
  }
  return (
    <form className="grid gap-4" onSubmit={onSave} onKeyDown={onKeyDown} noValidate aria-label={`Edit ${originalTitle}`}>
      <p className="m-0 text-sm text-muted-foreground">
        Editing <span className="font-semibold text-foreground">{originalTitle}</span> · Escape cancels
      </p>
      <TaskFields idPrefix={prefix} title={title} description={description} errors={errors} onTitle={onTitle} onDescription={onDescription} titleTouched={touched} />
      {signedOut ? <SignedOutNotice /> : <FieldError id={`${prefix}-error`} message={errors.form} />}
      <div className="flex flex-wrap gap-2">
        <SubmitButton>Save</SubmitButton>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
