"use client";
// One click sends a new confirmation link to the signed-in user's own address (Better Auth's
// /send-verification-email with a session mails only the session's address; throttled per address,
// docs/security.md "Rate limiting"). Used by the banner and by /confirm-email.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "../reach";
import { Button, type ButtonProps } from "../ui/button";

type State = { kind: "idle" | "sending" | "sent" } | { kind: "error"; message: string };

export function ResendConfirmation({ email, size = "sm", variant = "outline" }: { email: string } & Pick<ButtonProps, "size" | "variant">) {
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: "idle" });

  async function send() {
    if (state.kind === "sending") return;
    setState({ kind: "sending" });
    const result = await reach((signal) => authClient.sendVerificationEmail({ email, callbackURL: "/dashboard" }, { signal }));
    if (!result.reached) return setState({ kind: "error", message: NETWORK_ERROR_MESSAGE });
    const { error } = result.value;
    if (!error) return setState({ kind: "sent" });
    if (error.code === "EMAIL_ALREADY_VERIFIED") {
      router.refresh(); // confirmed in another tab meanwhile: the banner goes away
      return setState({ kind: "idle" });
    }
    setState({ kind: "error", message: error.status === 429 && error.message ? error.message : "Could not send a link right now. Try again in a moment." });
  }

  if (state.kind === "sent") {
    return (
      <p role="status" className="m-0 text-sm">
        A new link is on its way to <strong className="[overflow-wrap:anywhere]">{email}</strong>. It works for 60 minutes.
      </p>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button size={size} variant={variant} onClick={send} disabled={state.kind === "sending"}>
        {state.kind === "sending" ? "Sending…" : "Send a new link"}
      </Button>
      {state.kind === "error" ? (
        <span role="alert" className="text-sm text-destructive">
          {state.message}
        </span>
      ) : null}
    </span>
  );
}
