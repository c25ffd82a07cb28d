import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth-shell";
import { PasskeySignIn } from "@/components/passkey-sign-in";
import { ProviderButtons } from "@/components/provider-buttons";
import { SignInForm } from "@/components/sign-in-form";
import { FormError } from "@/components/ui/form-error";
import { env } from "@/env";
import { nextFromQuery } from "@/lib/return-path";
import { signInErrorSentence } from "@/lib/sign-in-errors";
import { getSession } from "@/server/session";
import { signInProviders } from "@/lib/sign-in-providers";

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
  // A sign-in through a provider that did not finish comes back here with ?error=<code> (and ?via=<provider>).
  const providers = signInProviders(env);
  const error = first(params.error);
  const via = providers.find((p) => p.id === first(params.via))?.name ?? null;
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
      {error ? <FormError id="provider-sign-in-error" message={signInErrorSentence(error, via)} /> : null}
      <ProviderButtons providers={providers} next={next} />
      <SignInForm next={next} />
      <PasskeySignIn next={next} />
      <p className="m-0 text-sm">
        <Link href="/forgot-password">Forgot password?</Link>
      </p>
    </AuthShell>
  );
}
