import type { Metadata } from "next";
import Link from "next/link";
import { CheckEmailActions } from "@/components/account/check-email-actions";
import { AuthShell } from "@/components/auth-shell";
import { buttonVariants } from "@/components/ui/button";

export const metadata: Metadata = { title: "Check your email" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * What the page says: after sign-up (no `link`), or about a verification link that did not work.
 * Under it, CheckEmailActions: the address, when this tab knows it, with a one-click resend.
 */
const COPY = {
  sent: {
    title: "Check your email",
    text: "We sent you a link to confirm your address. Open it to finish creating your account; it signs you in. The link works for 60 minutes.",
  },
  expired: { title: "This link has expired", text: "Confirmation links work for 60 minutes. Ask for a new one below." },
  invalid: { title: "This link does not work", text: "It may be incomplete or altered. Ask for a new one below." },
  used: { title: "This link was already used", text: "Your email address is confirmed. Sign in to continue." },
  unverified: { title: "Confirm your email first", text: "Your account is waiting for you to confirm your address. Open the link we sent you, or ask for a new one." },
} as const;

export default async function CheckEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const link = first(params.link);
  const key = link === "expired" || link === "invalid" || link === "used" ? link : first(params.reason) === "unverified" ? "unverified" : "sent";
  const copy = COPY[key];
  return (
    <AuthShell title={copy.title} titleTestId="check-email-title" description={copy.text}>
      {key === "used" ? (
        <Link href="/sign-in" className={buttonVariants()}>
          Sign in
        </Link>
      ) : (
        <CheckEmailActions justSent={key === "sent"} />
      )}
    </AuthShell>
  );
}
