"use client";
// Toasts: short confirmations of what just happened ("Task added"). Call `toast.success(text)` or
// `toast.error(text)` anywhere in client code; `<Toaster />` (in the root layout) shows them in a
// polite live region that exists from the first paint, so screen readers announce each one. A
// toast stays 5 s (8 s with an action, e.g. "Undo": `toast.success(text, { action: { label, onAction } })`),
// longer while hovered or focused, and has a close button.
// Our own (about 100 lines) rather than a library: the popular ones inject un-nonced <style> tags,
// which the Content-Security-Policy refuses (src/proxy.ts).
import { CircleAlert, CircleCheck, X } from "lucide-react";
import { useEffect, useState, useSyncExternalStore } from "react";
import { cn } from "./cn";

/** A button on the toast (e.g. "Undo"); choosing it runs `onAction` and closes the toast. */
export interface ToastAction {
  label: string;
  onAction: () => void;
}

export interface ToastItem {
  id: number;
  kind: "success" | "error" | "info";
  text: string;
  action?: ToastAction;
}

const DURATION_MS = 5000;
const DURATION_WITH_ACTION_MS = 8000;
const MAX_VISIBLE = 3;
let nextId = 1;
let items: ToastItem[] = [];
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

function push(kind: ToastItem["kind"], text: string, options?: { action?: ToastAction }): number {
  const id = nextId++;
  items = [...items, { id, kind, text, ...(options?.action ? { action: options.action } : {}) }].slice(-MAX_VISIBLE);
  emit();
  return id;
}

export function dismissToast(id: number) {
  items = items.filter((t) => t.id !== id);
  emit();
}

export const toast = {
  success: (text: string, options?: { action?: ToastAction }) => push("success", text, options),
  error: (text: string, options?: { action?: ToastAction }) => push("error", text, options),
  info: (text: string, options?: { action?: ToastAction }) => push("info", text, options),
};

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};
const EMPTY: ToastItem[] = [];

function Toast({ item }: { item: ToastItem }) {
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return;
    const timer = setTimeout(() => dismissToast(item.id), item.action ? DURATION_WITH_ACTION_MS : DURATION_MS);
    return () => clearTimeout(timer);
  }, [item.id, item.action, paused]);
  const Icon = item.kind === "error" ? CircleAlert : CircleCheck;
  return (
    <div
      className="pointer-events-auto flex items-start gap-3 rounded-lg border border-input bg-card p-4 text-sm text-foreground shadow-lg"
      data-testid="toast"
      data-kind={item.kind}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
    >
      <Icon aria-hidden className={cn("mt-0.5 size-4 shrink-0", item.kind === "error" ? "text-destructive" : "text-success")} />
      <p className="m-0 flex-1">{item.text}</p>
      {item.action ? (
        <button
          type="button"
          className="-my-1 cursor-pointer rounded-md border border-input px-2 py-1 font-medium hover:bg-accent"
          onClick={() => {
            dismissToast(item.id);
            item.action?.onAction();
          }}
        >
          {item.action.label}
        </button>
      ) : null}
      <button type="button" className="-m-1 cursor-pointer rounded-sm p-1 text-muted-foreground hover:text-foreground" aria-label="Dismiss notification" onClick={() => dismissToast(item.id)}>
        <X aria-hidden className="size-4" />
      </button>
    </div>
  );
}

export function Toaster() {
  const toasts = useSyncExternalStore(subscribe, () => items, () => EMPTY);
  return (
    <section aria-label="Notifications" className="pointer-events-none fixed bottom-4 right-4 z-[60] w-[min(24rem,calc(100%-2rem))]">
      {/* Not a list: a toast's words must never be mistaken for a task by text. */}
      <div aria-live="polite" className="grid gap-2">
        {toasts.map((t) => (
          <Toast key={t.id} item={t} />
        ))}
      </div>
    </section>
  );
}
