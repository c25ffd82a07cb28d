import type { Metadata } from "next";
import { ChangeEmailForm } from "@/components/account/change-email-form";
import { DownloadData } from "@/components/account/download-data";
import { ProfileForm } from "@/components/profile-form";
import { SettingsSection } from "@/components/settings-section";
import { headers } from "next/headers";
import { hasTwoFactor } from "@/lib/two-factor-user";
import { auth } from "@/server/auth";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Profile · Settings" };

export default async function ProfileSettingsPage() {
  const { user } = await requireSession("/settings/profile");
  // A change of email asks for the current password, when the account has one.
  const accounts = await auth.api.listUserAccounts({ headers: await headers() });
  const hasPassword = accounts.some((a) => a.providerId === "credential");
  // "Confirm it's you" offers a code after the password when two-step sign-in is on, and a passkey when there is one.
  const passkeys = await auth.api.listPasskeys({ headers: await headers() });
  return (
    <div className="grid gap-8">
      <SettingsSection title="Profile" description="How you appear in authbridge.">
        <ProfileForm name={user.name} email={user.email} />
      </SettingsSection>
      <ChangeEmailForm current={user.email} hasPassword={hasPassword} />
      <DownloadData hasPassword={hasPassword} twoFactor={hasTwoFactor(user)} hasPasskey={passkeys.length > 0} />
    </div>
  );
}
