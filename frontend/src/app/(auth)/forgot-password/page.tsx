import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/account/forgot-password-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <main className="mx-auto grid w-full max-w-md gap-5 px-4 py-12">
      <h1 className="m-0 text-2xl font-semibold">Forgot your password?</h1>
      <p className="m-0 text-sm text-muted-foreground">Enter the address you signed up with. We will email you a link to choose a new password.</p>
      <ForgotPasswordForm />
      <p className="m-0 text-sm">
        Remembered it? <Link href="/sign-in">Sign in</Link>
      </p>
    </main>
  );
}
