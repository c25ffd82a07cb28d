"use client";
// "Continue with GitHub / Google / <OIDC_NAME>": one button per configured provider (src/server/sign-in-providers.ts),
// on the sign-in and sign-up pages. A button asks the app to start the provider's sign-in (Better Auth's
// /sign-in/social: state, PKCE, nonce) and the browser goes to the provider; whatever happens there ends on
// /dashboard (or `next`) signed in, or on /sign-in with a sentence saying what happened (src/lib/sign-in-errors.ts).
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { DEFAULT_RETURN_PATH } from "@/lib/return-path";
import { providerUnavailable } from "@/lib/sign-in-errors";
import type { SignInProvider } from "@/lib/sign-in-providers";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { Button } from "./ui/button";
import { FormError } from "./ui/form-error";

const ERROR_ID = "provider-error";

/** `next` is where to go after signing in: already checked to be a path on this site (src/lib/return-path.ts). */
export function ProviderButtons({ providers, next = DEFAULT_RETURN_PATH }: { providers: SignInProvider[]; next?: string }) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  if (providers.length === 0) return null;

  async function start(provider: SignInProvider) {
    if (pending) return;
    setPending(provider.id);
    setError(undefined);
    // A failure at the provider comes back to the sign-in page, which names the provider and keeps `next`.
    const back = new URLSearchParams({ via: provider.id, ...(next === DEFAULT_RETURN_PATH ? {} : { next }) });
    const result = await reach((signal) => authClient.signIn.social({ provider: provider.id, callbackURL: next, errorCallbackURL: `/sign-in?${back}` }, { signal }));
    // Reached without an error: the browser is on its way to the provider, the button stays busy.
    if (result.reached && !result.value.error) return;
    setPending(null);
    setError(result.reached ? providerUnavailable(provider.name) : NETWORK_ERROR_MESSAGE);
    document.getElementById(ERROR_ID)?.focus();
  }

  return (
    <div className="grid gap-3" aria-busy={pending !== null}>
      <FormError id={ERROR_ID} message={error} />
      {providers.map((p) => (
        <Button key={p.id} variant="outline" className="w-full" disabled={pending !== null} onClick={() => void start(p)}>
          {pending === p.id ? `Continuing with ${p.name}…` : `Continue with ${p.name}`}
        </Button>
      ))}
      <p className="m-0 flex items-center gap-3 text-xs uppercase text-muted-foreground before:h-px before:flex-1 before:bg-border after:h-px after:flex-1 after:bg-border">
        or
      </p>
    </div>
  );
}
