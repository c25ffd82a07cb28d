"use client";
// Deleting the account: with the current password, or (token from the emailed link) with one click.
// Better Auth's /delete-user deletes the user; the FK cascade takes the tasks, and every session
// goes with the user, so every backend token gets 401 on its next request.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { UNREACHABLE } from "./email-request-form";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { PasswordInput } from "@/components/ui/password-input";
import { isSignedOutError, SignedOutNotice, useSignedOut } from "@/components/signed-out-notice";
import { SubmitButton } from "@/components/ui/submit-button";

type State = { kind: "idle" | "sending" | "link-sent" } | { kind: "error"; message: string };

const messageOf = (error: { code?: string; message?: string; status?: number }) =>
  error.code === "INVALID_PASSWORD"
    ? "That is not your current password."
    : error.code === "INVALID_TOKEN"
      ? "This link has expired or was already used. Ask for a new one, or use your password."
      : (error.message ?? "Could not delete the account right now. Try again.");

/** The deletion's state: with the password, or with the emailed link's token; the link asked for. */
function useDeleteAccount() {
  const router = useRouter();
  const [password, setPassword] = useState("");
  const [state, setState] = useState<State>({ kind: "idle" });
  // The session ended meanwhile: to sign-in and back here (the link's token with it; a password is never kept).
  const [signedOut, onSignedOut] = useSignedOut();

  async function run(body: { password: string } | { token: string }) {
    setState({ kind: "sending" });
    try {
      const { error } = await authClient.deleteUser(body);
      if (isSignedOutError(error)) return onSignedOut();
      if (error) return setState({ kind: "error", message: messageOf(error) });
      router.replace("/settings/danger/deleted");
      router.refresh();
    } catch {
      setState({ kind: "error", message: UNREACHABLE });
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.kind === "sending") return;
    if (!password) return setState({ kind: "error", message: "Enter your current password." });
    await run({ password });
  }

  async function requestLink() {
    setState({ kind: "sending" });
    try {
      const res = await fetch("/api/auth/delete-user/request-link", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      if (res.status === 401) return onSignedOut();
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        return setState({ kind: "error", message: body.message ?? "Could not send the link. Try again." });
      }
      setState({ kind: "link-sent" });
    } catch {
      setState({ kind: "error", message: UNREACHABLE });
    }
  }

  return { password, setPassword, state, signedOut, run, onSubmit, requestLink };
}

export function DeleteAccountForm({ token }: { token?: string }) {
  const { password, setPassword, state, signedOut, run, onSubmit, requestLink } = useDeleteAccount();
  const error = state.kind === "error" ? (
    <p role="alert" className="m-0 text-sm text-destructive">
      {state.message}
    </p>
  ) : null;

  if (signedOut) return <SignedOutNotice />;
  if (token) {
    return (
      <div className="grid gap-3">
        {error}
        <Button type="button" onClick={() => void run({ token })} disabled={state.kind === "sending"} variant="destructive" className="justify-self-start">
          {state.kind === "sending" ? "Deleting…" : "Delete my account now"}
        </Button>
      </div>
    );
  }
  return (
    <div className="grid gap-4">
      <form className="grid gap-3" onSubmit={onSubmit} aria-label="Delete account" noValidate>
        <div className="grid gap-2">
          <Label htmlFor="delete-password">Current password</Label>
          <PasswordInput
            id="delete-password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error}
        <SubmitButton disabled={state.kind === "sending"} variant="destructive" className="justify-self-start">
          {state.kind === "sending" ? "Deleting…" : "Delete my account"}
        </SubmitButton>
      </form>
      <div className="grid gap-2 text-sm">
        <p className="m-0 text-muted-foreground">No password at hand? We can email you a link that deletes the account from this browser.</p>
        {state.kind === "link-sent" ? (
          <p role="status" className="m-0">
            We sent a link to your email address. It works once, for 60 minutes.
          </p>
        ) : (
          <Button type="button" onClick={() => void requestLink()} disabled={state.kind === "sending"} variant="outline" size="sm" className="justify-self-start">
            Email me a deletion link
          </Button>
        )}
      </div>
    </div>
  );
}
