"use client";
// One click sends a new confirmation link to an address the page already knows (the one typed in the
// sign-in form, or the one a sign-up just used): Better Auth's /send-verification-email, which
// answers the same for every address and is throttled per address (docs/security.md "Email
// verification"). The address is remembered for /check-email (sent-to.ts).
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "../reach";
import { Button, type ButtonProps } from "../ui/button";
import { rememberSentTo } from "./sent-to";

type State = { kind: "idle" | "sending" | "sent" } | { kind: "error"; message: string };

export function SendLinkButton({ email, variant = "default", className }: { email: string; className?: string } & Pick<ButtonProps, "variant">) {
  const [state, setState] = useState<State>({ kind: "idle" });

  async function send() {
    if (state.kind === "sending") return;
    setState({ kind: "sending" });
    const result = await reach((signal) => authClient.sendVerificationEmail({ email, callbackURL: "/dashboard" }, { signal }));
    if (!result.reached) return setState({ kind: "error", message: NETWORK_ERROR_MESSAGE });
    const { error } = result.value;
    if (error) return setState({ kind: "error", message: error.status === 429 && error.message ? error.message : "Could not send a link right now. Try again in a moment." });
    rememberSentTo(email);
    setState({ kind: "sent" });
  }

  if (state.kind === "sent") {
    return (
      <p role="status" className="m-0 text-sm" data-testid="link-sent">
        A new link is on its way to <strong className="[overflow-wrap:anywhere]">{email}</strong>. It works for 60 minutes.
      </p>
    );
  }
  return (
    <div className="grid gap-2">
      <Button variant={variant} onClick={send} disabled={state.kind === "sending"} className={className}>
        {state.kind === "sending" ? "Sending…" : "Send a new link"}
      </Button>
      {state.kind === "error" ? (
        <p role="alert" className="m-0 text-sm text-destructive">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
