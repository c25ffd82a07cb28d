import type { ReactNode } from "react";
import { NavTabs } from "@/components/ui/nav-tabs";

// Settings: one tab per page (each its own URL). Every page checks the session itself, with its own
// return path (layouts do not re-run on navigation between their pages).
const SETTINGS_TABS = [
  { href: "/settings/profile", label: "Profile" },
  { href: "/settings/password", label: "Password" },
  { href: "/settings/sign-in", label: "Sign-in methods" },
  { href: "/settings/sessions", label: "Sessions" },
  { href: "/settings/activity", label: "Security activity" },
  { href: "/settings/danger", label: "Danger zone" },
] as const;

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    // minmax(0, 1fr): the tabs scroll sideways on a phone instead of widening the page.
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
      <div className="grid gap-1">
        <h1 className="m-0 text-3xl font-bold tracking-tight">Settings</h1>
        <p className="m-0 text-muted-foreground">Your profile, how you sign in, your sessions and your account&apos;s security.</p>
      </div>
      <NavTabs tabs={SETTINGS_TABS} label="Settings" />
      <div className="max-w-2xl">{children}</div>
    </div>
  );
}
