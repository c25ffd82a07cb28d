"use client";
// A new confirmation link sent to an address by one click (Better Auth's /send-verification-email,
// throttled per address: docs/security.md "Rate limiting"), and the note that says it is on its way.
// Used by resend-confirmation.tsx (the signed-in user's own address) and send-link-button.tsx (an
// address the page already knows).
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "../reach";

export type SendLinkState = { kind: "idle" | "sending" | "sent" } | { kind: "error"; message: string };

interface SendLinkOptions {
  /** Runs before the state turns to "sent". */
  onSent?: () => void;
  /** The address was confirmed meanwhile: runs, and the button stays (without it, the answer is an error like any other). */
  onAlreadyVerified?: () => void;
}

export function useSendVerificationLink(email: string, { onSent, onAlreadyVerified }: SendLinkOptions = {}) {
  const [state, setState] = useState<SendLinkState>({ kind: "idle" });

  async function send() {
    if (state.kind === "sending") return;
    setState({ kind: "sending" });
    const result = await reach((signal) => authClient.sendVerificationEmail({ email, callbackURL: "/dashboard" }, { signal }));
    if (!result.reached) return setState({ kind: "error", message: NETWORK_ERROR_MESSAGE });
    const { error } = result.value;
    if (!error) {
      onSent?.();
      return setState({ kind: "sent" });
    }
    if (onAlreadyVerified && error.code === "EMAIL_ALREADY_VERIFIED") {
      onAlreadyVerified();
      return setState({ kind: "idle" });
    }
    setState({ kind: "error", message: error.status === 429 && error.message ? error.message : "Could not send a link right now. Try again in a moment." });
  }

  return { state, send };
}

export function LinkSentNote({ email, testId }: { email: string; testId?: string }) {
  return (
    <p role="status" className="m-0 text-sm" data-testid={testId}>
      A new link is on its way to <strong className="[overflow-wrap:anywhere]">{email}</strong>. It works for 60 minutes.
    </p>
  );
}
