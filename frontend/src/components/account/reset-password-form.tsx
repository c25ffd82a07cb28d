"use client";
// Chooses a new password with the link's token: the same live rule list as sign-up (the server's
// policy, src/lib/password-policy.ts). Success ends every session of the account.
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { checkPassword, type PasswordPolicyName } from "@/lib/password-policy";
import { PasswordRules } from "../password-rules";
import { UNREACHABLE } from "./email-request-form";

type State = { kind: "idle" | "sending" | "done" } | { kind: "error"; message: string; linkDead?: boolean };

export function ResetPasswordForm({ token, policy }: { token: string; policy: PasswordPolicyName }) {
  const [password, setPassword] = useState("");
  const [state, setState] = useState<State>({ kind: "idle" });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.kind === "sending") return;
    const failures = checkPassword(password, policy);
    if (failures.length) return setState({ kind: "error", message: failures.map((f) => f.message).join(" ") });
    setState({ kind: "sending" });
    try {
      const { error } = await authClient.resetPassword({ newPassword: password, token });
      if (!error) return setState({ kind: "done" });
      const e = error as { code?: string; message?: string; fields?: { message: string }[] };
      if (e.code === "INVALID_TOKEN") return setState({ kind: "error", message: "This link has expired or was already used.", linkDead: true });
      setState({ kind: "error", message: e.fields?.map((f) => f.message).join(" ") || e.message || "Could not change the password right now. Try again." });
    } catch {
      setState({ kind: "error", message: UNREACHABLE });
    }
  }

  if (state.kind === "done") {
    return (
      <div role="status" className="grid gap-3 text-sm" data-testid="password-reset-done">
        <p className="m-0">Your password was changed, and every device that was signed in has been signed out.</p>
        <p className="m-0">
          <Link href="/sign-in">Sign in with your new password</Link>
        </p>
      </div>
    );
  }
  return (
    <form className="grid gap-3" onSubmit={onSubmit} aria-label="Choose a new password" noValidate>
      <label className="grid gap-1 text-sm font-medium" htmlFor="new-password">
        New password
        <input
          id="new-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          aria-describedby="reset-password-rules"
          onChange={(e) => setPassword(e.target.value)}
          className="rounded-md border border-input bg-background px-3 py-2 text-sm"
        />
      </label>
      <PasswordRules id="reset-password-rules" policy={policy} password={password} />
      {state.kind === "error" ? (
        <p role="alert" className="m-0 text-sm text-destructive">
          {state.message} {state.linkDead ? <Link href="/forgot-password">Ask for a new link</Link> : null}
        </p>
      ) : null}
      <button type="submit" disabled={state.kind === "sending"} className="rounded-md bg-primary px-4 py-2 text-sm font-medium text-primary-foreground disabled:opacity-60">
        {state.kind === "sending" ? "Saving…" : "Set new password"}
      </button>
    </form>
  );
}
