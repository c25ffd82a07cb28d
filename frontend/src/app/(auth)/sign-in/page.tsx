import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth-shell";
import { SignInForm } from "@/components/sign-in-form";
import { env } from "@/env";
import { nextFromQuery } from "@/lib/return-path";
import { getSession } from "@/server/session";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  // ?next= is where the user was going; only a target on BETTER_AUTH_URL's origin is believed, as a
  // path (src/lib/return-path.ts, docs/security.md "Redirects"). A signed-in user goes there at once.
  const next = nextFromQuery(params.next, env.BETTER_AUTH_URL);
  if (await getSession()) redirect(next);
  const signedOut = first(params.reason) === "signed-out";
  return (
    <AuthShell
      title="Sign in"
      description="Welcome back. Sign in to see your tasks."
      footer={
        <>
          New here? <Link href="/sign-up">Create an account</Link>
        </>
      }
    >
      {signedOut ? (
        <p className="m-0 rounded-md border border-input bg-muted px-3 py-2 text-sm" role="status" data-testid="signed-out-notice">
          <strong>You were signed out.</strong> Your session ended: signed out on another device, or the password changed. Sign in again to continue where
          you left off.
        </p>
      ) : null}
      <SignInForm next={next} />
      <p className="m-0 text-sm">
        <Link href="/forgot-password">Forgot password?</Link>
      </p>
    </AuthShell>
  );
}
