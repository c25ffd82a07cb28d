"use client";
// When the server says this browser's session is gone (revoked from another device, signed out
// everywhere, a password changed or reset elsewhere), the page never goes blank and never lands on
// a bare sign-in page: the form says "You were signed out" and takes the user to
// /sign-in?next=<this page>&reason=signed-out, which says why and comes back here afterwards; what
// the form saved with saveDraft (form-draft.ts) goes back in then.
//
// For a form: `const [signedOut, onSignedOut] = useSignedOut();` then, on a SIGNED_OUT answer (a
// server action) or a Better Auth 401 (`isSignedOutError`), `onSignedOut({ key, values })` (the
// draft is optional; never a password), and render `{signedOut ? <SignedOutNotice id=… /> : null}`.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { signInHref } from "@/lib/return-path";
import { type Draft, saveDraft } from "./form-draft";

/** The sign-in page that says "You were signed out" and returns to this very page (path and query). */
function useReturnHere(): string {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  return signInHref(search ? `${pathname}?${search}` : pathname, "signed-out");
}

/**
 * A Better Auth client error that means "no session": 401, other than a wrong password or an
 * unconfirmed address (those are answers about what was typed, not about the session).
 */
export function isSignedOutError(error: { status?: number; code?: string } | null | undefined): boolean {
  return error?.status === 401 && error.code !== "INVALID_PASSWORD" && error.code !== "INVALID_EMAIL_OR_PASSWORD" && error.code !== "EMAIL_NOT_VERIFIED";
}

/** `[signedOut, onSignedOut(draft?)]`: the state that shows the notice, and the call that saves the draft and sets it. */
export function useSignedOut(): [boolean, (draft?: { key: string; values: Draft }) => void] {
  const [signedOut, setSignedOut] = useState(false);
  const onSignedOut = useCallback((draft?: { key: string; values: Draft }) => {
    if (draft) saveDraft(draft.key, draft.values);
    setSignedOut(true);
  }, []);
  return [signedOut, onSignedOut];
}

/** Says so, and goes to the sign-in page at once; the link is there for whoever is faster, or when navigation stalls. */
export function SignedOutNotice({ id }: { id?: string }) {
  const href = useReturnHere();
  const router = useRouter();
  useEffect(() => {
    router.replace(href);
  }, [router, href]);
  return (
    <p id={id} tabIndex={-1} role="alert" className="m-0 rounded-md border border-destructive px-3 py-2 text-sm" data-testid="signed-out-alert">
      <strong>You were signed out.</strong> Taking you to sign in; you will come back here afterwards. <Link href={href}>Sign in now</Link>
    </p>
  );
}
