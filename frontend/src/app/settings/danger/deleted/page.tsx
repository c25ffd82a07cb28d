import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Account deleted" };

export default function AccountDeletedPage() {
  return (
    <section className="grid gap-3" aria-labelledby="deleted-heading">
      <h2 id="deleted-heading" className="m-0 text-xl font-semibold">
        Your account was deleted
      </h2>
      <p className="m-0 text-sm">Your profile, password, tasks and sessions are gone. A confirmation is on its way to your email address.</p>
      <p className="m-0 text-sm">
        <Link href="/sign-up">Create a new account</Link>
      </p>
    </section>
  );
}
