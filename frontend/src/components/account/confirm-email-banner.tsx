"use client";
// The quiet reminder above every signed-in page while the account's address is not confirmed
// (sign-up signs in at once by default; docs/security.md "Email verification"). Dismissed for the
// rest of the browser session: a session cookie the root layout reads, so it never flashes back.
import { MailWarning, X } from "lucide-react";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { BANNER_DISMISSED_COOKIE, CONFIRM_EMAIL_PATH } from "@/lib/confirm-email";
import { Button } from "../ui/button";
import { ResendConfirmation } from "./resend-confirmation";

export function ConfirmEmailBanner({ email }: { email: string }) {
  const [open, setOpen] = useState(true);
  const pathname = usePathname();
  // /confirm-email says all of this itself, with its own button.
  if (!open || pathname === CONFIRM_EMAIL_PATH) return null;
  const dismiss = () => {
    document.cookie = `${BANNER_DISMISSED_COOKIE}=dismissed; path=/; SameSite=Lax${location.protocol === "https:" ? "; Secure" : ""}`;
    setOpen(false);
  };
  return (
    <section aria-label="Reminder" className="border-b border-border bg-muted" data-testid="confirm-email-banner">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2 text-sm">
        <MailWarning aria-hidden className="size-4 shrink-0" />
        <p className="m-0 min-w-0 flex-[1_1_14rem]">
          <strong>Confirm your email.</strong> We sent a link to <span className="[overflow-wrap:anywhere]">{email}</span>.
        </p>
        <ResendConfirmation email={email} variant="ghost" />
        <Button variant="ghost" size="icon" className="sm:size-9" onClick={dismiss} aria-label="Dismiss this reminder">
          <X aria-hidden />
        </Button>
      </div>
    </section>
  );
}
