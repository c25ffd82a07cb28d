"use client";
// The signed-in user's menu in the header: who is signed in, Tasks and Settings (the way there on a
// phone, where the header shows nothing else), the theme, Sign out, and Sign out everywhere (behind a
// confirmation: it ends every session of the account).
import { ListChecks, LogOut, MonitorSmartphone, Settings } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { ThemeRadioItems } from "./theme-switch";
import { Button } from "./ui/button";
import { ConfirmDialog } from "./ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "./ui/dropdown-menu";
import { toast } from "./ui/toaster";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/u).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts.slice(0, 1);
  return letters.map((p) => [...p][0]!.toUpperCase()).join("") || "?";
}

/** Sign out of this browser, or of every session. Network failures become a toast, never a hang. */
function useSignOut() {
  const router = useRouter();
  return async function signOut(everywhere: boolean): Promise<boolean> {
    const result = await reach(async (signal) => {
      // Everywhere: delete every session of the user (each backend token dies with its session).
      if (everywhere) {
        const revoked = await authClient.revokeSessions({ fetchOptions: { signal } });
        if (revoked.error) return revoked.error;
      }
      return (await authClient.signOut({ fetchOptions: { signal } })).error;
    });
    if (!result.reached) {
      toast.error(NETWORK_ERROR_MESSAGE);
      return false;
    }
    if (result.value) {
      toast.error("Could not sign out. Please try again.");
      return false;
    }
    router.replace("/sign-in");
    router.refresh();
    return true;
  };
}

/** What the menu holds: who is signed in, Tasks, Settings, the theme, Sign out and Sign out everywhere. */
function UserMenuItems({ name, email, onSignOut, onSignOutEverywhere }: { name: string; email: string; onSignOut: () => void; onSignOutEverywhere: () => void }) {
  return (
    <DropdownMenuContent>
      <DropdownMenuLabel>
        <span className="block truncate font-semibold">{name}</span>
        <span className="block truncate text-muted-foreground" data-testid="menu-email">
          {email}
        </span>
      </DropdownMenuLabel>
      <DropdownMenuSeparator />
      <DropdownMenuItem asChild>
        <Link href="/dashboard">
          <ListChecks aria-hidden />
          Tasks
        </Link>
      </DropdownMenuItem>
      <DropdownMenuItem asChild>
        <Link href="/settings/profile">
          <Settings aria-hidden />
          Settings
        </Link>
      </DropdownMenuItem>
      <DropdownMenuSeparator />
      <DropdownMenuLabel className="text-muted-foreground">Theme</DropdownMenuLabel>
      <ThemeRadioItems />
      <DropdownMenuSeparator />
      <DropdownMenuItem onSelect={onSignOut}>
        <LogOut aria-hidden />
        Sign out
      </DropdownMenuItem>
      <DropdownMenuItem onSelect={onSignOutEverywhere}>
        <MonitorSmartphone aria-hidden />
        Sign out everywhere…
      </DropdownMenuItem>
    </DropdownMenuContent>
  );
}

export function UserMenu({ name, email }: { name: string; email: string }) {
  const signOut = useSignOut();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          {/* Named by its content (WCAG 2.5.3 "label in name"): the visible name is part of the accessible one. */}
          <Button variant="ghost" className="h-11 gap-2 px-2 sm:h-10">
            <span aria-hidden className="flex size-8 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground">
              {initials(name)}
            </span>
            <span className="sr-only">Account menu for </span>
            <span className="sr-only sm:not-sr-only sm:inline-block sm:max-w-40 sm:truncate">{name}</span>
          </Button>
        </DropdownMenuTrigger>
        <UserMenuItems name={name} email={email} onSignOut={() => void signOut(false)} onSignOutEverywhere={() => setConfirming(true)} />
      </DropdownMenu>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Sign out everywhere?"
        description="This ends every session of your account, on every device and browser, including this one."
        confirmLabel="Sign out everywhere"
        pendingLabel="Signing out everywhere…"
        onConfirm={async () => signOut(true)}
      />
    </>
  );
}
