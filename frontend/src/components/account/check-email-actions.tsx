"use client";
// What /check-email offers under its message: when this tab knows the address the link went to (a
// sign-up or a "Send a new link" just now, sent-to.ts), it names it, resends with one click and
// offers "Wrong address?"; otherwise it asks for the address (the same answer for every address).
import Link from "next/link";
import { ResendVerificationForm } from "./resend-verification-form";
import { SendLinkButton } from "./send-link-button";
import { forgetSentTo, useSentTo } from "./sent-to";

export function CheckEmailActions({ justSent }: { justSent: boolean }) {
  const email = useSentTo();
  if (!email) {
    return (
      <div className="grid gap-4">
        {justSent ? <p className="m-0 text-sm">Nothing arrived? Check your spam folder, or send a new link:</p> : null}
        <ResendVerificationForm />
      </div>
    );
  }
  return (
    <div className="grid gap-4">
      <p className="m-0 text-sm" data-testid="sent-to">
        {justSent ? "We sent it to " : "Your address: "}
        <strong className="[overflow-wrap:anywhere]">{email}</strong>
      </p>
      {justSent ? <p className="m-0 text-sm">Nothing arrived? Check your spam folder, or send a new link:</p> : null}
      <SendLinkButton email={email} />
      <p className="m-0 text-sm">
        Wrong address?{" "}
        <Link href="/sign-up" onClick={forgetSentTo}>
          Sign up again with the right one
        </Link>
      </p>
    </div>
  );
}
