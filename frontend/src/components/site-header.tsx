// The app shell's header: the brand (home), and either the user menu (which reaches Tasks and
// Settings at every width) or sign-in/theme links, folded into one Menu button below `sm` (640 px)
// so that the header fits a 320 px screen.
import { ShieldCheck } from "lucide-react";
import Link from "next/link";
import { SignedOutMenu } from "./site-menu";
import { ThemeMenu } from "./theme-switch";
import { Button } from "./ui/button";
import { UserMenu } from "./user-menu";

export function SiteHeader({ user }: { user: { name: string; email: string } | null }) {
  return (
    <header className="border-b border-border bg-card">
      <div className="mx-auto flex h-16 max-w-5xl items-center justify-between gap-2 px-4">
        <Link href="/" className="flex min-h-11 items-center gap-2 text-lg font-bold tracking-tight text-foreground no-underline">
          <ShieldCheck aria-hidden className="size-6 text-primary" />
          authbridge
        </Link>
        <nav aria-label="Account" className="flex items-center gap-2">
          {user ? (
            <>
              <Link href="/dashboard" className="hidden rounded-md px-3 py-2 text-sm font-medium text-foreground no-underline hover:bg-accent sm:inline">
                Tasks
              </Link>
              <UserMenu name={user.name} email={user.email} />
            </>
          ) : (
            <>
              <div className="hidden items-center gap-2 sm:flex">
                <ThemeMenu />
                <Button asChild variant="ghost" size="sm">
                  <Link href="/sign-in">Sign in</Link>
                </Button>
                <Button asChild size="sm">
                  <Link href="/sign-up">Create account</Link>
                </Button>
              </div>
              <SignedOutMenu className="sm:hidden" />
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
