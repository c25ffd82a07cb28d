import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ConfirmAddressForms } from "@/components/account/confirm-address-forms";
import { OtherAccountPage } from "@/components/account/other-account-page";
import { AuthShell } from "@/components/auth-shell";
import { env } from "@/env";
import { auth, pool } from "@/server/auth";
import { readVerificationLink } from "@/server/mail/verification-link";

export const metadata: Metadata = { title: "Confirm your email" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// A confirmation link opened in a browser that is not (or not only) the one that signed up
// (docs/security.md "Pre-account takeover", "Login CSRF"): it asks, and posts to
// src/server/verify-address/plugin.ts.
export default async function ConfirmAddressPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = (Array.isArray(raw) ? raw[0] : raw) ?? "";
  const link = token ? await readVerificationLink(token, env.BETTER_AUTH_SECRET, pool) : { problem: "invalid" as const };
  if (link.problem !== null) redirect(`/check-email?link=${link.problem}`);
  const session = await auth.api.getSession({ headers: await headers() });
  if (session && session.user.id !== link.userId) {
    return <OtherAccountPage titleTestId="confirm-address-title" signedInAs={session.user.email} linkDoes="confirms" linkEmail={link.email} />;
  }
  return (
    <AuthShell
      title="Confirm your email"
      titleTestId="confirm-address-title"
      description={
        <>
          Confirming <strong className="[overflow-wrap:anywhere]">{link.email}</strong> signs every other device out of this account.
        </>
      }
      footer={<Link href="/sign-in">Cancel</Link>}
    >
      <ConfirmAddressForms token={token} email={link.email} policy={env.PASSWORD_POLICY} />
    </AuthShell>
  );
}
