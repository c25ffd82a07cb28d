import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";

export const metadata: Metadata = { title: "Page not found" };

// Replaces Next's built-in 404, whose inline style attributes our Content-Security-Policy refuses
// (src/proxy.ts). Rendered per request like every other page, so its scripts carry the nonce.
export default async function NotFound() {
  await connection();
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/dashboard">Go to your tasks</Link>
      </p>
    </>
  );
}
