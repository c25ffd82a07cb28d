"use client";
// What a form had typed when its session ended, kept across the trip through the sign-in page
// (signed-out-notice.tsx) and put back when the form is on screen again: sessionStorage, so it stays
// in this tab and is gone when the tab closes; read once. Never a password: a form saves only the
// fields worth retyping nothing of (a task, a name, an address).
import { useEffect } from "react";
import { toast } from "./ui/toaster";

export type Draft = Record<string, string>;

const PREFIX = "authbridge:draft:";

export function saveDraft(key: string, values: Draft): void {
  try {
    sessionStorage.setItem(PREFIX + key, JSON.stringify(values));
  } catch {
    // Storage full or switched off: the sign-in still returns here, only without the draft.
  }
}

/** The draft saved under `key`, removed as it is read; null when there is none or it is unreadable. */
function takeDraft(key: string): Draft | null {
  try {
    const saved = sessionStorage.getItem(PREFIX + key);
    if (saved === null) return null;
    sessionStorage.removeItem(PREFIX + key);
    const parsed: unknown = JSON.parse(saved);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
    const out: Draft = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") out[k] = v;
    return out;
  } catch {
    return null;
  }
}

/** Once the form is on screen (after hydration): its saved draft, if any, goes back in, with a toast saying so. */
export function useRestoredDraft(key: string, apply: (draft: Draft) => void, message = "Restored what you were typing."): void {
  useEffect(() => {
    const draft = takeDraft(key);
    if (!draft) return;
    apply(draft);
    toast.info(message);
    // Once, on mount: `apply` is the form's setter and `key` never changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
