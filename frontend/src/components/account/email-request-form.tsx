"use client";
// The one form behind "send me a link" (a new verification link, a password reset link): an email
// field, a submit button and the answer. The answer is the same for every address by design
// (docs/security.md "Account email"): `request` resolves to the sentence to show, or throws/returns
// an error message.
import { useState, type FormEvent, type ReactNode } from "react";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";

export const UNREACHABLE = "Couldn't reach the server — try again.";

type State = { kind: "idle" | "sending" } | { kind: "sent" } | { kind: "error"; message: string };

interface EmailRequestFormProps {
  id: string;
  /** The form's accessible name. */
  label: string;
  submit: string;
  sending: string;
  /** What to say once the request was accepted (shown instead of the form). */
  sent: ReactNode;
  initialEmail?: string;
  /** Sends the request; resolves to an error message, or null when accepted. */
  request: (email: string) => Promise<string | null>;
}

export function EmailRequestForm({ id, label, submit, sending, sent, initialEmail = "", request }: EmailRequestFormProps) {
  const [email, setEmail] = useState(initialEmail);
  const [state, setState] = useState<State>({ kind: "idle" });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.kind === "sending") return;
    if (!email.trim()) return setState({ kind: "error", message: "Enter your email address." });
    setState({ kind: "sending" });
    try {
      const error = await request(email.trim());
      setState(error ? { kind: "error", message: error } : { kind: "sent" });
    } catch {
      setState({ kind: "error", message: UNREACHABLE });
    }
  }

  if (state.kind === "sent") return <div role="status" className="m-0 text-sm">{sent}</div>;
  return (
    <form className="grid gap-3" onSubmit={onSubmit} aria-label={label} noValidate>
      <label className="grid gap-1 text-sm font-medium" htmlFor={id}>
        Email
        <Input
          id={id}
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      {state.kind === "error" ? (
        <p role="alert" className="m-0 text-sm text-destructive">
          {state.message}
        </p>
      ) : null}
      <SubmitButton disabled={state.kind === "sending"} >
        {state.kind === "sending" ? sending : submit}
      </SubmitButton>
    </form>
  );
}

/** A Better Auth client error as the sentence the form shows (429 and 400 carry their own). */
export function requestError(error: { status?: number; message?: string } | null): string | null {
  if (!error) return null;
  if (error.status === 400) return "Enter a valid email address.";
  return error.message ?? "Could not send a link right now. Try again in a moment.";
}
