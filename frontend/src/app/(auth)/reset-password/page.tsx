import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/account/reset-password-form";
import { env } from "@/env";

export const metadata: Metadata = { title: "Choose a new password" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  return (
    <main className="mx-auto grid w-full max-w-md gap-5 px-4 py-12">
      <h1 className="m-0 text-2xl font-semibold">Choose a new password</h1>
      {token ? (
        <>
          <p className="m-0 text-sm text-muted-foreground">Setting a new password signs you out on every device.</p>
          <ResetPasswordForm token={token} policy={env.PASSWORD_POLICY} />
        </>
      ) : (
        <p className="m-0 text-sm">
          This page needs the link from your email. <Link href="/forgot-password">Ask for a new link</Link>
        </p>
      )}
    </main>
  );
}
