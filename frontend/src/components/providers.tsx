"use client";
// Client-wide providers of the root layout. The nonce is this request's Content-Security-Policy
// nonce (src/proxy.ts): next-themes puts it on the tiny script that sets the theme before the first
// paint (no flash), and get-nonce hands it to the <style> tag Radix adds while a dialog or menu
// locks scrolling; without it the policy would refuse both.
import { setNonce } from "get-nonce";
import { ThemeProvider } from "next-themes";
import type { ReactNode } from "react";

export function Providers({ nonce, children }: { nonce?: string; children: ReactNode }) {
  if (nonce && typeof window !== "undefined") setNonce(nonce);
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem enableColorScheme={false} nonce={nonce}>
      {children}
    </ThemeProvider>
  );
}
