"use client";
// A form that asks for the current password once: its state and submit. An empty field is refused
// here; otherwise `send` runs and answers the refusal's sentence, or nothing when done. The refusal
// takes focus when the form gives its FormError the id `${id}-error`. Used by "Confirm it's you"
// (confirm-its-you.tsx) and by the password step of two-step sign-in's changes (two-factor-password-form.tsx).
import { useId, useState, type FormEvent } from "react";

export function usePasswordStep(send: (password: string) => Promise<string | undefined>) {
  const id = useId();
  const [password, setPassword] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    if (!password) return setError("Enter your password.");
    setSending(true);
    setError(undefined);
    const refused = await send(password);
    setSending(false);
    if (refused) {
      setError(refused);
      document.getElementById(`${id}-error`)?.focus();
    }
  }

  return { id, password, setPassword, sending, error, onSubmit };
}
