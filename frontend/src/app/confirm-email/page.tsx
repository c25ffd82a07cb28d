import type { Metadata } from "next";
import Link from "next/link";
import { ResendConfirmation } from "@/components/account/resend-confirmation";
import { AuthShell } from "@/components/auth-shell";
import { CONFIRM_EMAIL_PATH } from "@/lib/confirm-email";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Confirm your email" };

// Where the app sends a signed-in user whom the backend refuses until the address is confirmed (401
// EMAIL_NOT_VERIFIED, src/server/backend.ts). It never redirects by itself, so no two settings can
// bounce the user between pages; once the address is confirmed, it links back to the tasks.
export default async function ConfirmEmailPage() {
  const { user } = await requireSession(CONFIRM_EMAIL_PATH);
  if (user.emailVerified) {
    return (
      <AuthShell title="Your email is confirmed" titleTestId="confirm-email-title">
        <p className="m-0">
          <Link href="/dashboard">Go to your tasks</Link>
        </p>
      </AuthShell>
    );
  }
  return (
    <AuthShell
      title="Confirm your email"
      titleTestId="confirm-email-title"
      description={
        <>
          Your tasks open once your address is confirmed. We sent a link to <strong className="[overflow-wrap:anywhere]">{user.email}</strong>: open it on any device.
        </>
      }
      footer={
        <>
          Wrong address? <Link href="/settings/profile">Change it in Settings</Link>
        </>
      }
    >
      <div className="grid gap-2">
        <p className="m-0 text-sm">Nothing arrived? Check your spam folder, or send a new link:</p>
        <ResendConfirmation email={user.email} size="default" variant="default" />
      </div>
    </AuthShell>
  );
}
