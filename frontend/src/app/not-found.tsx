import type { Metadata } from "next";
import { Compass } from "lucide-react";
import Link from "next/link";
import { connection } from "next/server";
import { buttonVariants } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

// Replaces Next's built-in 404, whose inline style attributes our Content-Security-Policy refuses
// (src/proxy.ts). Rendered per request like every other page, so its scripts carry the nonce.
export default async function NotFound() {
  await connection();
  return (
    <div className="mx-auto grid max-w-md justify-items-center gap-4 py-12 text-center">
      <Compass aria-hidden className="size-12 text-primary" />
      <p className="m-0 text-sm font-semibold uppercase tracking-wider text-muted-foreground">Error 404</p>
      <h1 className="m-0 text-3xl font-bold tracking-tight">Page not found</h1>
      <p className="m-0 text-muted-foreground">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <div className="flex flex-wrap justify-center gap-3">
        <Link href="/dashboard" className={buttonVariants()}>
          Go to your tasks
        </Link>
        <Link href="/" className={buttonVariants({ variant: "outline" })}>
          Home
        </Link>
      </div>
    </div>
  );
}
