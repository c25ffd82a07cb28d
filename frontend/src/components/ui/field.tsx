// A labelled input with its inline error (announced as an alert) and optional hint.
import type { InputHTMLAttributes, ReactNode } from "react";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  /** id of the element the hint renders (for aria-describedby). */
  hintId?: string;
}

export function Field({ id, label, error, hint, hintId, ...input }: FieldProps) {
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hint ? hintId : undefined, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint}
      {error ? (
        <p id={errorId} className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
