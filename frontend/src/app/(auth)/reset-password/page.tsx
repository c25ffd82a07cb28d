import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/account/forgot-password-form";
import { ResetPasswordForm } from "@/components/account/reset-password-form";
import { OtherAccountPage } from "@/components/account/other-account-page";
import { AuthShell } from "@/components/auth-shell";
import { buttonVariants } from "@/components/ui/button";
import { env } from "@/env";
import { auth, pool } from "@/server/auth";
import { readResetLink, type ResetLink } from "@/server/reset-link";

export const metadata: Metadata = { title: "Choose a new password" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** What a link that no longer works says, before anyone types a password (src/server/reset-link.ts). */
const DEAD = {
  missing: { title: "Choose a new password", text: "This page needs the link from your email." },
  expired: { title: "This link has expired", text: "Reset links work for 60 minutes. Send yourself a new one: one click." },
  gone: { title: "This link no longer works", text: "It was already used, or a newer link or a change of password replaced it. Ask for a new one if you still need it." },
  invalid: { title: "This link does not work", text: "It looks incomplete or altered: copy the whole link from the email, or ask for a new one." },
} as const;

function DeadLink({ link }: { link: Exclude<ResetLink, { state: "valid" }> | { state: "missing" } }) {
  const copy = DEAD[link.state];
  return (
    <AuthShell title={copy.title} titleTestId="reset-title" description={copy.text} footer={<Link href="/sign-in">Back to sign in</Link>}>
      {link.state === "expired" ? (
        <ForgotPasswordForm initialEmail={link.email} />
      ) : (
        <Link href="/forgot-password" className={buttonVariants()}>
          Send me a new link
        </Link>
      )}
    </AuthShell>
  );
}

// The page a reset email links to. The link is checked as the page opens (reading changes nothing),
// so a dead one says so at once and offers a new one (docs/security.md "Forgotten password").
export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  if (!token) return <DeadLink link={{ state: "missing" }} />;
  const link = await readResetLink(pool, token);
  if (link.state !== "valid") return <DeadLink link={link} />;
  // A reset signs this browser in (src/server/reset-sign-in.ts), never instead of another account
  // it is signed in to without asking (docs/security.md "Login CSRF").
  const session = await auth.api.getSession({ headers: await headers() });
  if (session && session.user.id !== link.userId) {
    return <OtherAccountPage titleTestId="reset-title" signedInAs={session.user.email} linkDoes="resets the password of" linkEmail={link.email} />;
  }
  return (
    <AuthShell
      title="Choose a new password"
      titleTestId="reset-title"
      description={
        <>
          For <strong className="[overflow-wrap:anywhere]">{link.email}</strong>. Every device signed in to this account is signed out, and this one is signed in.
        </>
      }
    >
      <ResetPasswordForm token={token} policy={env.PASSWORD_POLICY} />
    </AuthShell>
  );
}
