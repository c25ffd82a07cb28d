import type { Metadata, Viewport } from "next";
import { cookies, headers } from "next/headers";
import type { ReactNode } from "react";
import { ConfirmEmailBanner } from "@/components/account/confirm-email-banner";
import { Providers } from "@/components/providers";
import { RouteFocus } from "@/components/route-focus";
import { SiteHeader } from "@/components/site-header";
import { Toaster } from "@/components/ui/toaster";
import { BANNER_DISMISSED_COOKIE } from "@/lib/confirm-email";
import { getSession } from "@/server/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "authbridge", template: "%s · authbridge" },
  description: "A small task list with an account system done properly: your tasks stay yours, and you decide where you are signed in.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0b0f19" },
  ],
};

/** This request's Content-Security-Policy nonce (src/proxy.ts puts the policy on the request). */
async function cspNonce(): Promise<string | undefined> {
  return /'nonce-([A-Za-z0-9+/=]+)'/.exec((await headers()).get("content-security-policy") ?? "")?.[1];
}

/** The header's user, or none; a failing session lookup never takes the whole page down. */
async function headerUser(): Promise<{ name: string; email: string; emailVerified: boolean } | null> {
  try {
    const session = await getSession();
    return session ? { name: session.user.name, email: session.user.email, emailVerified: session.user.emailVerified } : null;
  } catch {
    return null;
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [nonce, user, jar] = await Promise.all([cspNonce(), headerUser(), cookies()]);
  const remindToConfirm = user !== null && !user.emailVerified && !jar.has(BANNER_DISMISSED_COOKIE);
  return (
    // next-themes sets the theme class on <html> before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-dvh antialiased">
        <Providers nonce={nonce}>
          <a
            href="#main"
            className="absolute -left-[999px] z-50 rounded-md bg-background px-3 py-2 font-medium text-foreground focus:left-4 focus:top-2"
          >
            Skip to content
          </a>
          <SiteHeader user={user} />
          {remindToConfirm ? <ConfirmEmailBanner email={user.email} /> : null}
          <main id="main" className="mx-auto w-full max-w-5xl px-4 pb-16 pt-8">
            {children}
          </main>
          <Toaster />
          <RouteFocus />
        </Providers>
      </body>
    </html>
  );
}
