"use client";
// Asks for a new verification link. The answer is the same whether or not the address has an
// account waiting for confirmation (Better Auth answers 200 either way, after the same minimum
// time); only the throttle's 429 differs, and it is the same for every address.
import { authClient } from "@/lib/auth-client";
import { EmailRequestForm, requestError } from "./email-request-form";

export function ResendVerificationForm({ initialEmail = "" }: { initialEmail?: string }) {
  return (
    <EmailRequestForm
      id="resend-email"
      label="Send a new link"
      submit="Send a new link"
      sending="Sending…"
      initialEmail={initialEmail}
      sent={<p className="m-0">If that address has an account waiting for confirmation, a new link is on its way. It works for 60 minutes.</p>}
      request={async (email) => requestError((await authClient.sendVerificationEmail({ email, callbackURL: "/dashboard" })).error)}
    />
  );
}
