import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "authbridge", template: "%s · authbridge" },
  description: "Next.js + Better Auth and FastAPI, one HS256 token contract.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <span className="brand">authbridge</span>
        </header>
        <main id="main" className="container">
          {children}
        </main>
      </body>
    </html>
  );
}
