import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/change-password-form";
import { SettingsSection } from "@/components/settings-section";
import { env } from "@/env";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Password · Settings" };

export default async function PasswordSettingsPage() {
  await requireSession("/settings/password");
  return (
    <SettingsSection title="Change password" description="Changing your password signs out every other session of your account.">
      <ChangePasswordForm policy={env.PASSWORD_POLICY} />
    </SettingsSection>
  );
}
