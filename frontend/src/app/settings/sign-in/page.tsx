import type { Metadata } from "next";
import { headers } from "next/headers";
import { PasskeySettings } from "@/components/account/passkey-settings";
import {
  type ProviderMethod,
  SignInMethods,
} from "@/components/account/sign-in-methods";
import { TwoFactorSettings } from "@/components/account/two-factor-settings";
import { SettingsSection } from "@/components/settings-section";
import { env } from "@/env";
import { hasTwoFactor } from "@/lib/two-factor-user";
import { auth } from "@/server/auth";
import { requireSession } from "@/server/session";
import { SIGN_IN_METHOD_ERRORS } from "@/server/sign-in-methods/plugin";
import { signInProviders } from "@/server/sign-in-providers";

export const metadata: Metadata = { title: "Sign-in methods · Settings" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) =>
  Array.isArray(v) ? v[0] : v;

/** What a link that came back with `?error=` says (the provider's own words stay in the server's log). */
function linkFailure(code: string, name: string): string {
  switch (code) {
    case SIGN_IN_METHOD_ERRORS.LINKED_TO_ANOTHER_USER.code:
      return `This ${name} account is already linked to another account here. Sign in to that one and unlink it there first.`;
    case SIGN_IN_METHOD_ERRORS.LINK_SESSION_ENDED.code:
      return `Your session ended before ${name} answered, so nothing was linked. Sign in and link it again.`;
    case "access_denied":
      return `You cancelled at ${name}: nothing was linked.`;
    default:
      return `${name} could not be linked, so nothing changed. Try again in a moment.`;
  }
}

/** One row per identity linked to each offered provider (or one to link), then identities of providers no longer offered. */
function methodRows(
  offered: { id: string; name: string }[],
  accounts: { id: string; providerId: string }[],
): ProviderMethod[] {
  const rows: ProviderMethod[] = [];
  for (const p of offered) {
    const linked = accounts.filter((a) => a.providerId === p.id);
    if (linked.length === 0)
      rows.push({ id: p.id, name: p.name, accountRowId: null, offered: true });
    for (const a of linked)
      rows.push({ id: p.id, name: p.name, accountRowId: a.id, offered: true });
  }
  for (const a of accounts) {
    if (
      a.providerId !== "credential" &&
      !offered.some((p) => p.id === a.providerId)
    )
      rows.push({
        id: a.providerId,
        name: a.providerId,
        accountRowId: a.id,
        offered: false,
      });
  }
  return rows;
}

/** How many of the user's backup codes are left (Better Auth's server-only viewBackupCodes); null when it cannot say. */
async function backupCodesLeft(userId: string): Promise<number | null> {
  try {
    const { backupCodes } = await auth.api.viewBackupCodes({ body: { userId } });
    return backupCodes.length;
  } catch {
    return null;
  }
}

export default async function SignInMethodsPage({
  searchParams,
}: {
  searchParams: SearchParams;
}) {
  const { user } = await requireSession("/settings/sign-in");
  const params = await searchParams;
  const offered = signInProviders(env);
  const accounts = await auth.api.listUserAccounts({
    headers: await headers(),
  });
  const nameOf = (id: string | undefined) =>
    offered.find((p) => p.id === id)?.name ?? "The provider";
  const error = first(params.error);
  const linked = first(params.linked);
  const hasPassword = accounts.some((a) => a.providerId === "credential");
  const twoFactorOn = hasTwoFactor(user);
  return (
    <>
      <SettingsSection
        title="Sign-in methods"
        description="The ways you can sign in. Linking one signs out every other session of your account."
      >
        <div className="grid gap-3">
          {error ? (
            <p
              role="alert"
              className="m-0 rounded-md border border-destructive px-3 py-2 text-sm"
              data-testid="link-failed"
            >
              {linkFailure(error, nameOf(first(params.via)))}
            </p>
          ) : linked && accounts.some((a) => a.providerId === linked) ? (
            <p
              role="status"
              className="m-0 rounded-md border border-input bg-muted px-3 py-2 text-sm"
              data-testid="link-done"
            >
              {nameOf(linked)} is linked: you can sign in with it. Every other
              session of your account was signed out.
            </p>
          ) : null}
          <SignInMethods
            providers={methodRows(offered, accounts)}
            hasPassword={hasPassword}
            email={user.email}
          />
        </div>
      </SettingsSection>
      <SettingsSection
        title="Two-step sign-in"
        description="A code from an authenticator app after your password."
      >
        <TwoFactorSettings
          enabled={twoFactorOn}
          hasPassword={hasPassword}
          email={user.email}
          backupCodesLeft={twoFactorOn ? await backupCodesLeft(user.id) : null}
        />
      </SettingsSection>
      <SettingsSection
        title="Passkeys"
        description="Sign in with your fingerprint, face or screen lock instead of a password."
      >
        <PasskeySettings />
      </SettingsSection>
    </>
  );
}
