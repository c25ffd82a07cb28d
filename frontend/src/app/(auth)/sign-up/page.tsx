import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth-shell";
import { ProviderButtons } from "@/components/provider-buttons";
import { SignUpForm } from "@/components/sign-up-form";
import { env } from "@/env";
import { getSession } from "@/server/session";
import { signInProviders } from "@/lib/sign-in-providers";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage() {
  if (await getSession()) redirect("/dashboard");
  return (
    <AuthShell
      title="Create account"
      description="One account, private tasks. It takes a few seconds."
      footer={
        <>
          Have an account? <Link href="/sign-in">Sign in</Link>
        </>
      }
    >
      <ProviderButtons providers={signInProviders(env)} />
      <SignUpForm policy={env.PASSWORD_POLICY} />
    </AuthShell>
  );
}
