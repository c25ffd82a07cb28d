"use client";
// The buttons of a change-of-email link (docs/security.md "Changing the email"): the current address
// approves or cancels ("this wasn't me": every device is signed out), the new address confirms. Each
// link says yes once; the answer says whether the change is done or waits for the other address.
import Link from "next/link";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "../reach";
import { Button } from "../ui/button";
import { FormError } from "../ui/form-error";

type Outcome = "waiting" | "changed" | "taken" | "stale";
type State = { kind: "idle" | "sending" } | { kind: "approved"; outcome: Outcome } | { kind: "cancelled" } | { kind: "error"; message: string };

const OUTCOME_TEXT: Record<Outcome, (kind: "current" | "new", newEmail: string) => string> = {
  waiting: (kind) =>
    kind === "current" ? "Approved. The change happens once the new address confirms it too." : "Confirmed. The change happens once the account's current address approves it too.",
  changed: (_, newEmail) => `Done: the account now signs in with ${newEmail}.`,
  taken: (_, newEmail) => `${newEmail} now belongs to another account, so the address was not changed.`,
  stale: () => "The account's address changed in the meantime, so this change was not made.",
};

export function EmailChangeActions({ token, kind, done, cancelFirst, newEmail }: { token: string; kind: "current" | "new"; done: boolean; cancelFirst: boolean; newEmail: string }) {
  const [state, setState] = useState<State>(done ? { kind: "approved", outcome: "waiting" } : { kind: "idle" });

  async function post(action: "approve" | "confirm" | "cancel") {
    setState({ kind: "sending" });
    const result = await reach((signal) => authClient.$fetch<{ outcome?: Outcome }>(`/email-change/${action}`, { method: "POST", body: { token }, signal }));
    if (!result.reached) return setState({ kind: "error", message: NETWORK_ERROR_MESSAGE });
    const { data, error } = result.value;
    if (error) return setState({ kind: "error", message: error.message ?? "This link has expired or was already used." });
    setState(action === "cancel" ? { kind: "cancelled" } : { kind: "approved", outcome: data?.outcome ?? "waiting" });
  }

  if (state.kind === "cancelled") {
    return (
      <div role="status" className="grid gap-2 text-sm" data-testid="email-change-result">
        <p className="m-0">
          <strong>Cancelled.</strong> The address stays as it is, and every device signed in to your account was signed out.
        </p>
        <p className="m-0">
          If someone else knows your password, <Link href="/forgot-password">reset it now</Link>.
        </p>
      </div>
    );
  }
  const sending = state.kind === "sending";
  const cancel =
    kind === "current" ? (
      <Button variant={cancelFirst ? "destructive" : "outline"} onClick={() => post("cancel")} disabled={sending}>
        This wasn&apos;t me: cancel and sign out everywhere
      </Button>
    ) : null;
  return (
    <div className="grid gap-3">
      {state.kind === "approved" ? (
        <p role="status" className="m-0 text-sm" data-testid="email-change-result">
          {OUTCOME_TEXT[state.outcome](kind, newEmail)}
        </p>
      ) : null}
      <FormError message={state.kind === "error" ? state.message : undefined} />
      {cancelFirst ? cancel : null}
      {state.kind !== "approved" ? (
        <Button variant={cancelFirst ? "outline" : "default"} onClick={() => post(kind === "current" ? "approve" : "confirm")} disabled={sending}>
          {kind === "current" ? "Approve the change" : "Confirm this address"}
        </Button>
      ) : null}
      {cancelFirst ? null : state.kind === "approved" && state.outcome !== "waiting" ? null : cancel}
    </div>
  );
}
