import type { Metadata } from "next";
import Link from "next/link";
import { ChangePasswordForm } from "@/components/change-password-form";
import { env } from "@/env";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  await requireSession();
  return (
    <>
      <p>
        <Link href="/dashboard">← Dashboard</Link>
      </p>
      <h1>Change password</h1>
      <ChangePasswordForm policy={env.PASSWORD_POLICY} />
    </>
  );
}
