"use client";
// The account's ways in (docs/security.md "Sign-in providers and linking"): each sign-in provider the
// app offers, linked or not, with Link (Better Auth's /link-social: off to the provider and back to
// this page) and Unlink (/unlink-account, after a confirmation); and the password, set or not. An
// account made through a provider sets its password by an emailed link to its proven address (the
// reset link: single use, 60 minutes). The server refuses to unlink the last way in and says why;
// this page shows that sentence.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "../reach";
import { isSignedOutError, SignedOutNotice, useSignedOut } from "../signed-out-notice";
import { Button, buttonVariants } from "../ui/button";
import { ConfirmDialog } from "../ui/dialog";
import { toast } from "../ui/toaster";
import { TransitionLink } from "../navigation/transition-link";

export interface ProviderMethod {
  id: string;
  name: string;
  /** The linked identity's account row (what /unlink-account takes), or null when not linked. */
  accountRowId: string | null;
  /** False for an identity linked to a provider the app no longer offers: it can only be unlinked. */
  offered: boolean;
}

export interface SignInMethodsProps {
  providers: ProviderMethod[];
  hasPassword: boolean;
  email: string;
}

const failed = (error: { message?: string } | null | undefined, fallback: string) => error?.message ?? fallback;

function ProviderRow({ method, busy, onLink, onUnlink }: { method: ProviderMethod; busy: boolean; onLink: () => void; onUnlink: () => Promise<boolean> }) {
  const linked = method.accountRowId !== null;
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-input p-3" data-testid="sign-in-method" data-provider={method.id} data-linked={linked}>
      <div className="grid gap-1 text-sm">
        <p className="m-0 font-medium">{method.name}</p>
        <p className="m-0 text-muted-foreground">{linked ? (method.offered ? "Linked: you can sign in with it." : "Linked, but no longer offered here.") : "Not linked."}</p>
      </div>
      {linked ? (
        <ConfirmDialog
          trigger={
            <Button type="button" variant="outline" size="sm" disabled={busy} aria-label={`Unlink ${method.name}`}>
              Unlink
            </Button>
          }
          title={`Unlink ${method.name}?`}
          description={`You will no longer be able to sign in with ${method.name}. You can link it again later.`}
          confirmLabel="Unlink"
          pendingLabel="Unlinking…"
          onConfirm={onUnlink}
        />
      ) : (
        <Button type="button" size="sm" disabled={busy} onClick={onLink} aria-label={`Link ${method.name}`}>
          {busy ? "Opening…" : "Link"}
        </Button>
      )}
    </li>
  );
}

function PasswordRow({ hasPassword, email }: { hasPassword: boolean; email: string }) {
  const [state, setState] = useState<"idle" | "sending" | "sent">("idle");
  const [error, setError] = useState<string | null>(null);

  async function sendLink() {
    setState("sending");
    setError(null);
    const result = await reach((signal) => authClient.requestPasswordReset({ email, redirectTo: "/reset-password" }, { signal }));
    if (!result.reached || result.value.error) {
      setState("idle");
      return setError(result.reached ? failed(result.value.error, "Could not send the link right now. Try again in a moment.") : NETWORK_ERROR_MESSAGE);
    }
    setState("sent");
  }

  return (
    <li className="grid gap-2 rounded-md border border-input p-3 text-sm" data-testid="sign-in-method" data-provider="password" data-linked={hasPassword}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="grid gap-1">
          <p className="m-0 font-medium">Password</p>
          <p className="m-0 text-muted-foreground">{hasPassword ? "Set: you can sign in with your email and password." : "Not set: you sign in through a provider."}</p>
        </div>
        {hasPassword ? (
          <TransitionLink href="/settings/password" className={buttonVariants({ variant: "outline", size: "sm" })}>
            Change password
          </TransitionLink>
        ) : state === "sent" ? null : (
          <Button type="button" size="sm" onClick={() => void sendLink()} disabled={state === "sending"}>
            {state === "sending" ? "Sending…" : "Set a password"}
          </Button>
        )}
      </div>
      {state === "sent" ? (
        <p role="status" className="m-0" data-testid="password-link-sent">
          We sent a link to <strong className="[overflow-wrap:anywhere]">{email}</strong>. Open it within 60 minutes to choose your password.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="m-0 text-destructive">
          {error}
        </p>
      ) : null}
    </li>
  );
}

export function SignInMethods({ providers, hasPassword, email }: SignInMethodsProps) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signedOut, onSignedOut] = useSignedOut();

  async function link(method: ProviderMethod) {
    setBusy(method.id);
    setError(null);
    const result = await reach((signal) =>
      authClient.linkSocial({ provider: method.id, callbackURL: `/settings/sign-in?linked=${method.id}`, errorCallbackURL: `/settings/sign-in?via=${method.id}` }, { signal }),
    );
    // On success the client is on its way to the provider: the button stays busy until the page goes.
    if (result.reached && !result.value.error) return;
    setBusy(null);
    if (result.reached && isSignedOutError(result.value.error)) return onSignedOut();
    setError(result.reached ? failed(result.value.error, `Could not link ${method.name}. Try again.`) : NETWORK_ERROR_MESSAGE);
  }

  async function unlink(method: ProviderMethod): Promise<boolean> {
    setError(null);
    const result = await reach((signal) => authClient.unlinkAccount({ accountId: method.accountRowId! }, { signal }));
    if (result.reached && !result.value.error) {
      toast.success(`${method.name} is unlinked.`);
      router.refresh();
      return true;
    }
    if (result.reached && isSignedOutError(result.value.error)) onSignedOut();
    else setError(result.reached ? failed(result.value.error, `Could not unlink ${method.name}. Try again.`) : NETWORK_ERROR_MESSAGE);
    return true;
  }

  return (
    <div className="grid gap-3">
      {signedOut ? <SignedOutNotice /> : null}
      {error ? (
        <p role="alert" className="m-0 text-sm text-destructive" data-testid="sign-in-methods-error">
          {error}
        </p>
      ) : null}
      <ul className="m-0 grid list-none gap-3 p-0" aria-label="Sign-in methods">
        {providers.map((method) => (
          <ProviderRow key={method.accountRowId ?? method.id} method={method} busy={busy !== null} onLink={() => void link(method)} onUnlink={() => unlink(method)} />
        ))}
        <PasswordRow hasPassword={hasPassword} email={email} />
      </ul>
    </div>
  );
}
