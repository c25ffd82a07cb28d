import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth-shell";
import { TwoFactorForm } from "@/components/two-factor-form";
import { buttonVariants } from "@/components/ui/button";
import { env } from "@/env";
import { nextFromQuery, signInHref } from "@/lib/return-path";
import { getSession } from "@/server/session";

export const metadata: Metadata = { title: "Enter your code" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The second step of a sign-in with two-step sign-in on (docs/security.md "Two-step sign-in"): the
 * password was right, and Better Auth holds the sign-in for 10 minutes in its signed `two_factor`
 * cookie, with no session yet. A code from the authenticator app (or a backup code) finishes it.
 */
export default async function TwoFactorPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = nextFromQuery(params.next, env.BETTER_AUTH_URL);
  if (await getSession()) redirect(next);
  const pending = (await cookies()).getAll().some((c) => /(^|\.)two_factor$/.test(c.name));
  if (!pending) {
    return (
      <AuthShell title="Sign in again" titleTestId="two-factor-title" description="This sign-in waited too long for its code, or it was never started. Sign in again with your password.">
        <Link href={signInHref(next)} className={buttonVariants()}>
          Sign in
        </Link>
      </AuthShell>
    );
  }
  return (
    <AuthShell title="Enter your code" titleTestId="two-factor-title" description="Open your authenticator app and enter the 6-digit code it shows for authbridge." footer={<Link href={signInHref(next)}>Sign in as someone else</Link>}>
      <TwoFactorForm next={next} />
    </AuthShell>
  );
}
