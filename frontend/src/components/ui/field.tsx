// A labelled input with its inline error and optional hint. Invalid = red border + aria-invalid +
// the message, which is also the input's accessible description. type="password" gets show/hide.
import type { InputHTMLAttributes, ReactNode } from "react";
import { Input } from "./input";
import { Label } from "./label";
import { PasswordInput } from "./password-input";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  /** id of the element the hint renders (for aria-describedby). */
  hintId?: string;
}

export function Field({ id, label, error, hint, hintId, type, ...input }: FieldProps) {
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hint ? hintId : undefined].filter(Boolean).join(" ") || undefined;
  const props = { id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy, ...input };
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      {type === "password" ? <PasswordInput {...props} /> : <Input type={type} {...props} />}
      <FieldError id={errorId} message={error} />
      {hint}
    </div>
  );
}

/** A field's error text (live, so it is read out when it appears or changes). */
export function FieldError({ id, message }: { id?: string; message?: string }) {
  return message ? (
    <p id={id} className="m-0 text-sm font-medium text-destructive" role="alert">
      {message}
    </p>
  ) : null;
}
