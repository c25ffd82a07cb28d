"use client";
// The address a confirmation link was just sent to, so /check-email can name it and resend with one
// click (docs/security.md "Email verification"). Kept in this tab's sessionStorage, never in the
// URL, where it would land in logs and history. The sign-up form (strict mode) and the sign-in
// form's "Send a new link" write it; "Wrong address?" forgets it.
import { useSyncExternalStore } from "react";

const KEY = "authbridge:sent-to";
const CHANGED = "authbridge:sent-to-changed";

function write(email: string | null) {
  try {
    if (email === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, email);
  } catch {
    // Storage switched off: the page asks for the address instead.
  }
  window.dispatchEvent(new Event(CHANGED));
}

export const rememberSentTo = (email: string) => write(email);
export const forgetSentTo = () => write(null);

function read(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function subscribe(onChange: () => void) {
  window.addEventListener(CHANGED, onChange);
  return () => window.removeEventListener(CHANGED, onChange);
}

/** The remembered address, or null (always null in the server's render; the browser's follows at once). */
export const useSentTo = (): string | null => useSyncExternalStore(subscribe, read, () => null);
