"use client";
// Change of email (docs/security.md "Changing the email"): the current password first, then the
// current address approves (a link, with "this wasn't me" beside it) and the new address confirms
// (a link); only both change it. The answer is the same when the new address already has an account
// (nothing is sent then).
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { UNREACHABLE } from "./email-request-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PasswordInput } from "@/components/ui/password-input";
import { useRestoredDraft } from "@/components/form-draft";
import { SignedOutNotice, useSignedOut } from "@/components/signed-out-notice";
import { SubmitButton } from "@/components/ui/submit-button";

type State = { kind: "idle" | "sending" } | { kind: "sent"; to: string } | { kind: "error"; message: string };

/** The form's state and submit: the change asked for, the server's answer shown field by field. */
function useChangeEmail({ current, hasPassword }: { current: string; hasPassword: boolean }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [state, setState] = useState<State>({ kind: "idle" });
  // A session that ended meanwhile: sign-in and back, with the new address kept (never the password).
  const [signedOut, onSignedOut] = useSignedOut();
  useRestoredDraft("change-email", (draft) => setEmail(draft.email ?? ""));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.kind === "sending") return;
    const newEmail = email.trim();
    if (!newEmail) return setState({ kind: "error", message: "Enter the new email address." });
    if (newEmail.toLowerCase() === current.toLowerCase()) return setState({ kind: "error", message: "That is already your email address." });
    if (hasPassword && !password) return setState({ kind: "error", message: "Enter your current password." });
    setState({ kind: "sending" });
    try {
      const { error } = await authClient.$fetch("/email-change/request", {
        method: "POST",
        body: { newEmail, ...(hasPassword ? { currentPassword: password } : {}) },
      });
      if (!error) {
        setPassword("");
        return setState({ kind: "sent", to: newEmail });
      }
      if (error.status === 401) return onSignedOut({ key: "change-email", values: { email: newEmail } });
      const e = error as { message?: string; fields?: { message: string }[] };
      setState({ kind: "error", message: e.fields?.map((f) => f.message).join(" ") || e.message || "Could not start the change. Try again." });
    } catch {
      setState({ kind: "error", message: UNREACHABLE });
    }
  }
  return { email, setEmail, password, setPassword, state, signedOut, onSubmit };
}

export function ChangeEmailForm({ current, hasPassword }: { current: string; hasPassword: boolean }) {
  const { email, setEmail, password, setPassword, state, signedOut, onSubmit } = useChangeEmail({ current, hasPassword });

  return (
    <form className="grid gap-3" onSubmit={onSubmit} aria-label="Change email" noValidate>
      <p className="m-0 text-sm text-muted-foreground">
        Your email is <strong>{current}</strong>. To change it, enter the new address: we send a link to each address, and it changes only when{" "}
        <strong>both</strong> say yes.
      </p>
      <div className="grid gap-1">
        <Label htmlFor="new-email">New email</Label>
        <Input id="new-email" name="newEmail" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </div>
      {hasPassword ? (
        <div className="grid gap-1">
          <Label htmlFor="change-email-password">Current password</Label>
          <PasswordInput id="change-email-password" name="currentPassword" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
      ) : null}
      {signedOut ? <SignedOutNotice /> : null}
      {state.kind === "error" ? (
        <p role="alert" className="m-0 text-sm text-destructive">
          {state.message}
        </p>
      ) : null}
      {state.kind === "sent" ? (
        <p role="status" className="m-0 text-sm">
          Approve the change from the link we sent to {current}, and confirm it from the link we sent to {state.to}. Both links work for 60 minutes; your
          address stays {current} until then.
        </p>
      ) : null}
      <SubmitButton disabled={state.kind === "sending"} variant="outline" size="sm" className="justify-self-start">
        {state.kind === "sending" ? "Sending…" : "Send confirmation links"}
      </SubmitButton>
    </form>
  );
}
