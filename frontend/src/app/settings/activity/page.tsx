import type { Metadata } from "next";
import { ActivityList } from "@/components/account/activity-list";
import { SettingsSection } from "@/components/settings-section";
import { pool } from "@/server/auth";
import { activityPage, parseCursor } from "@/server/security-events/activity";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Security activity · Settings" };

// The signed-in user's own security events (docs/security.md "Security activity"), 20 a page: the
// query is keyed by the session's user, and `before` only ever pages through that user's rows.
export default async function ActivitySettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const before = parseCursor((await searchParams).before);
  const { session } = await requireSession(before === null ? "/settings/activity" : `/settings/activity?before=${before}`);
  const page = await activityPage(pool, session.userId, before);
  return (
    <SettingsSection
      title="Security activity"
      description="Sign-ins, failed sign-in attempts and changes to how your account signs in. If something here was not you, change your password and sign out everywhere."
    >
      <ActivityList events={page.events} currentSessionId={session.id} older={page.older} firstPage={before === null} />
    </SettingsSection>
  );
}
