import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/account/reset-password-form";
import { AuthShell } from "@/components/auth-shell";
import { env } from "@/env";

export const metadata: Metadata = { title: "Choose a new password" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  return (
    <AuthShell
      title="Choose a new password"
      description={token ? "Setting a new password signs you out on every device." : undefined}
    >
      {token ? (
        <ResetPasswordForm token={token} policy={env.PASSWORD_POLICY} />
      ) : (
        <p className="m-0 text-sm">
          This page needs the link from your email. <Link href="/forgot-password">Ask for a new link</Link>
        </p>
      )}
    </AuthShell>
  );
}
