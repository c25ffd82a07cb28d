import type { Metadata } from "next";
import { ProfileForm } from "@/components/profile-form";
import { SettingsSection } from "@/components/settings-section";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Profile · Settings" };

export default async function ProfileSettingsPage() {
  const { user } = await requireSession("/settings/profile");
  return (
    <SettingsSection title="Profile" description="How you appear in authbridge.">
      <ProfileForm name={user.name} email={user.email} />
    </SettingsSection>
  );
}
