"use client";
// A task's title and description fields, for adding and for editing.
import { FieldError } from "../ui/field";
import { Input, Textarea } from "../ui/input";
import { Label } from "../ui/label";
import { type Errors, localErrors } from "./task-outcome";

export function TaskFields({ idPrefix, title, description, errors, onTitle, onDescription, titleTouched }: {
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
