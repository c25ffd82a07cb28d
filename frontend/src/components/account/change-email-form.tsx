"use client";
// Change of email: the new address gets a link, the current one a notice, and the address changes
// only when the link is opened (docs/security.md "Change of email"). The answer is the same when
// the new address already has an account (nothing is sent then).
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { UNREACHABLE } from "./email-request-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

type State = { kind: "idle" | "sending" } | { kind: "sent"; to: string } | { kind: "error"; message: string };

export function ChangeEmailForm({ current }: { current: string }) {
  const [email, setEmail] = useState("");
  const [state, setState] = useState<State>({ kind: "idle" });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.kind === "sending") return;
    const newEmail = email.trim();
    if (!newEmail) return setState({ kind: "error", message: "Enter the new email address." });
    if (newEmail.toLowerCase() === current.toLowerCase()) return setState({ kind: "error", message: "That is already your email address." });
    setState({ kind: "sending" });
    try {
      const { error } = await authClient.changeEmail({ newEmail, callbackURL: "/settings/profile" });
      if (!error) return setState({ kind: "sent", to: newEmail });
      const e = error as { message?: string; fields?: { message: string }[] };
      setState({ kind: "error", message: e.fields?.map((f) => f.message).join(" ") || e.message || "Could not start the change. Try again." });
    } catch {
      setState({ kind: "error", message: UNREACHABLE });
    }
  }

  return (
    <form className="grid gap-3" onSubmit={onSubmit} aria-label="Change email" noValidate>
      <p className="m-0 text-sm text-muted-foreground">
        Your email is <strong>{current}</strong>. To change it, enter the new address: we send it a link to confirm, and tell this address.
      </p>
      <label className="grid gap-1 text-sm font-medium" htmlFor="new-email">
        New email
        <Input
          id="new-email"
          name="newEmail"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      {state.kind === "error" ? (
        <p role="alert" className="m-0 text-sm text-destructive">
          {state.message}
        </p>
      ) : null}
      {state.kind === "sent" ? (
        <p role="status" className="m-0 text-sm">
          Check {state.to} for a link to confirm it. Your address stays {current} until then.
        </p>
      ) : null}
      <Button type="submit" disabled={state.kind === "sending"} variant="outline" size="sm" className="justify-self-start">
        {state.kind === "sending" ? "Sending…" : "Send confirmation link"}
      </Button>
    </form>
  );
}
