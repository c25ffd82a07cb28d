"use client";
// Asks for a password reset link. The answer is the same for every address, with or without an
// account (docs/security.md "Forgotten password"); only the throttle's 429 differs, equally for all.
import { authClient } from "@/lib/auth-client";
import { EmailRequestForm, requestError } from "./email-request-form";

export function ForgotPasswordForm({ initialEmail = "" }: { initialEmail?: string }) {
  return (
    <EmailRequestForm
      id="forgot-email"
      initialEmail={initialEmail}
      label="Reset password"
      submit="Send me a link"
      sending="Sending…"
      sent={<p className="m-0" data-testid="reset-requested">If an account uses that address, we sent it a link to choose a new password. The link works once, for 60 minutes.</p>}
      request={async (email) => requestError((await authClient.requestPasswordReset({ email })).error)}
    />
  );
}
