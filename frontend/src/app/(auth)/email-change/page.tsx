import type { Metadata } from "next";
import Link from "next/link";
import { EmailChangeActions } from "@/components/account/email-change-actions";
import { AuthShell } from "@/components/auth-shell";
import { buttonVariants } from "@/components/ui/button";
import { pool } from "@/server/auth";
import { findByToken } from "@/server/email-change/store";

export const metadata: Metadata = { title: "Change of email" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

// The page both links of a change of email open (docs/security.md "Changing the email"). Opening it
// changes nothing (a mail scanner may fetch it): the buttons post to src/server/email-change/plugin.ts.
export default async function EmailChangePage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = first(params.token) ?? "";
  const found = await findByToken(pool, token);
  if (!found || found.change.expired) {
    // Said at once, before any button: a change the row no longer holds (docs/security.md "Changing the email").
    const why = found
      ? "It expired: links work for 60 minutes. Nothing was changed by it."
      : "It was already used, the change was cancelled or replaced by a newer one, or the link is incomplete. Nothing was changed by it.";
    return (
      <AuthShell title={found ? "This link has expired" : "This link no longer works"} titleTestId="email-change-title" description={why}>
        <Link href="/settings/profile" className={buttonVariants()}>
          Start a new change in Settings
        </Link>
      </AuthShell>
    );
  }
  const { change, kind } = found;
  if (kind === "current") {
    return (
      <AuthShell title="Approve the change of your email address?" titleTestId="email-change-title">
        <p className="m-0 text-sm">
          Someone signed in to your account asked to change its email address from <strong className="[overflow-wrap:anywhere]">{change.oldEmail}</strong> to{" "}
          <strong className="[overflow-wrap:anywhere]">{change.newEmail}</strong>. It changes only if you approve and the new address confirms.
        </p>
        <EmailChangeActions token={token} kind="current" done={change.approved} cancelFirst={first(params.intent) === "cancel"} newEmail={change.newEmail} />
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Confirm this email address?" titleTestId="email-change-title">
      <p className="m-0 text-sm">
        Someone asked to use <strong className="[overflow-wrap:anywhere]">{change.newEmail}</strong> to sign in to their account. If that was you, confirm it. The change also
        needs the approval of the account&apos;s current address.
      </p>
      <EmailChangeActions token={token} kind="new" done={change.confirmed} cancelFirst={false} newEmail={change.newEmail} />
    </AuthShell>
  );
}
