"use client";
// One click sends a new confirmation link to an address the page already knows (the one typed in the
// sign-in form, or the one a sign-up just used): Better Auth's /send-verification-email, which
// answers the same for every address and is throttled per address (docs/security.md "Email
// verification"). The address is remembered for /check-email (sent-to.ts).
import { Button, type ButtonProps } from "../ui/button";
import { LinkSentNote, useSendVerificationLink } from "./send-verification-link";
import { rememberSentTo } from "./sent-to";

export function SendLinkButton({ email, variant = "default", className }: { email: string; className?: string } & Pick<ButtonProps, "variant">) {
  const { state, send } = useSendVerificationLink(email, { onSent: () => rememberSentTo(email) });

  if (state.kind === "sent") return <LinkSentNote email={email} testId="link-sent" />;
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
