import type { Metadata } from "next";
import { headers } from "next/headers";
import { describeDevice } from "@/components/account/device-name";
import { type SessionRow, SessionsList } from "@/components/account/sessions-list";
import { SignOutEverywhere } from "@/components/account/sign-out-everywhere";
import { auth } from "@/server/auth";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Sessions · Settings" };

export default async function SessionsSettingsPage() {
  const { session: current } = await requireSession("/settings/sessions");
  const sessions = await auth.api.listSessions({ headers: await headers() });
  const rows: SessionRow[] = sessions
    .map((s) => ({
      id: s.id,
      token: s.token,
      device: describeDevice(s.userAgent),
      address: s.ipAddress || null,
      createdAt: new Date(s.createdAt).toISOString(),
      // Better Auth refreshes a session's updated_at when it extends it (at most daily): the day is right.
      lastUsedAt: new Date(s.updatedAt).toISOString(),
      current: s.id === current.id,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt));
  return (
    <section className="grid gap-4" aria-labelledby="sessions-heading">
      <div className="grid gap-1">
        <h2 id="sessions-heading" className="m-0 text-xl font-semibold">
          Sessions and devices
        </h2>
        <p className="m-0 text-sm text-muted-foreground">
          Every browser and app signed in to your account. Revoke one and that device is signed out at once.
        </p>
      </div>
      <SessionsList rows={rows} />
      <SignOutEverywhere />
    </section>
  );
}
