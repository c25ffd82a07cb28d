"use client";
// Client-wide providers of the root layout. The nonce is this request's Content-Security-Policy
// nonce (src/proxy.ts): next-themes puts it on the tiny script that sets the theme before the first
// paint (no flash), and get-nonce hands it to the <style> tag Radix adds while a dialog or menu
// locks scrolling; without it the policy would refuse both.
import { setNonce } from "get-nonce";
import { ThemeProvider } from "next-themes";
import type { ReactNode } from "react";

/** The nonce of the document the browser loaded: its policy is the one that applies until the next full load. */
let documentNonce: string | undefined;

/**
 * A client-side refresh renders the layout again with the nonce of that later request, which the
 * document's policy does not know: the first one (the hydration render's) is kept.
 */
function useDocumentNonce(nonce: string | undefined) {
  if (nonce && typeof window !== "undefined" && documentNonce === undefined) {
    documentNonce = nonce;
    setNonce(nonce);
  }
}

export function Providers({ nonce, children }: { nonce?: string; children: ReactNode }) {
  useDocumentNonce(nonce);
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem enableColorScheme={false} nonce={nonce}>
      {children}
    </ThemeProvider>
  );
}
