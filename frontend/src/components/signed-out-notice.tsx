"use client";
// What a form shows when the server says the session is gone (signed out in another tab, everywhere,
// or by a password change elsewhere): the reason, and a way back that returns to this very page.
// What was typed stays in the form.
import { usePathname, useSearchParams } from "next/navigation";
import Link from "next/link";
import { signInHref } from "@/lib/return-path";

export function useReturnHere(): string {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  return signInHref(search ? `${pathname}?${search}` : pathname, "signed-out");
}

export function SignedOutNotice({ id }: { id?: string }) {
  const href = useReturnHere();
  return (
    <p id={id} tabIndex={-1} role="alert" className="m-0 rounded-md border border-destructive px-3 py-2 text-sm" data-testid="signed-out-alert">
      <strong>You were signed out.</strong> <Link href={href}>Sign in again</Link> to continue; you will come back here.
    </p>
  );
}
