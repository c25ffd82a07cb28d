"use client";
// One click sends a new confirmation link to the signed-in user's own address (Better Auth's
// /send-verification-email with a session mails only the session's address; throttled per address,
// docs/security.md "Rate limiting"). Used by the banner and by /confirm-email.
import { useRouter } from "next/navigation";
import { Button, type ButtonProps } from "../ui/button";
import { LinkSentNote, useSendVerificationLink } from "./send-verification-link";

export function ResendConfirmation({ email, size = "sm", variant = "outline" }: { email: string } & Pick<ButtonProps, "size" | "variant">) {
  const router = useRouter();
  // Confirmed in another tab meanwhile: the refresh takes the banner away.
  const { state, send } = useSendVerificationLink(email, { onAlreadyVerified: () => router.refresh() });

  if (state.kind === "sent") return <LinkSentNote email={email} />;
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
