"use client";
// Toasts: short confirmations of what just happened ("Task added"). Call `toast.success(text)` or
// `toast.error(text)` anywhere in client code; `<Toaster />` (in the root layout) shows them in a
// polite live region that exists from the first paint, so screen readers announce each one. A
// toast stays 5 s (8 s with an action, e.g. "Undo": `toast.success(text, { action: { label, onAction } })`),
// longer while hovered or focused, and has a close button.
// Where: at the top of the screen, centred, just below the header (on a phone over it), under
// nothing the user is working on: the tasks' Edit and Delete buttons and the forms stay free (a toast
// at the bottom right sat on the Delete buttons). At most three at once, each at most 28rem wide, a long text cut after three
// lines with an ellipsis (two on a phone; the whole text stays in the DOM, so screen readers read it
// all, and in `title`). On a phone-size screen: the top edge, full width minus margins, compact, and
// only the newest shown.
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

interface ToastItem {
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

function dismissToast(id: number) {
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
      className="pointer-events-auto flex items-start gap-2 rounded-lg border border-input bg-card py-1 pl-3 text-sm text-foreground shadow-lg max-sm:[&:not(:last-child)]:hidden sm:gap-3 sm:p-3"
      data-testid="toast"
      data-kind={item.kind}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
    >
      <Icon aria-hidden className={cn("mt-3 size-4 shrink-0 sm:mt-0.5", item.kind === "error" ? "text-destructive" : "text-success")} />
      <p className="my-2.5 line-clamp-2 min-w-0 flex-1 [overflow-wrap:anywhere] sm:my-0 sm:line-clamp-3" title={item.text}>
        {item.text}
      </p>
      {item.action ? (
        <button
          type="button"
          className="min-h-11 shrink-0 cursor-pointer rounded-md border border-input px-3 font-medium hover:bg-accent sm:-my-1 sm:min-h-8 sm:px-2"
          onClick={() => {
            dismissToast(item.id);
            item.action?.onAction();
          }}
        >
          {item.action.label}
        </button>
      ) : null}
      <button
        type="button"
        className="flex size-11 shrink-0 cursor-pointer items-center justify-center rounded-md text-muted-foreground hover:text-foreground sm:-m-2 sm:size-9"
        aria-label="Dismiss notification"
        onClick={() => dismissToast(item.id)}
      >
        <X aria-hidden className="size-4" />
      </button>
    </div>
  );
}

export function Toaster() {
  const toasts = useSyncExternalStore(subscribe, () => items, () => EMPTY);
  return (
    <section
      aria-label="Notifications"
      className="pointer-events-none fixed inset-x-2 top-2 z-[60] mx-auto sm:inset-x-4 sm:top-[4.5rem] sm:w-[min(28rem,calc(100%-2rem))]"
    >
      {/* Not a list: a toast's words must never be mistaken for a task by text. */}
      <div aria-live="polite" className="grid gap-2">
        {toasts.map((t) => (
          <Toast key={t.id} item={t} />
        ))}
      </div>
    </section>
  );
}
