"use client";
// The content a NavigationScope's links replace: aria-busy from the click until the next page has
// arrived, with a thin pulsing bar along its top edge meanwhile. The previous content stays as it
// is, fully readable (no dimming: it would fail the contrast rules), until the new one replaces it.
import type { ReactNode } from "react";
import { cn } from "../ui/cn";
import { useNavigationScope } from "./navigation-scope";

export function PendingRegion({ children, className, testId }: { children: ReactNode; className?: string; testId?: string }) {
  const pending = useNavigationScope()?.pendingHref != null;
  return (
    <div aria-busy={pending} data-testid={testId} className={cn("relative", pending && "cursor-progress", className)}>
      {pending ? <div aria-hidden data-testid="pending-bar" className="absolute inset-x-0 -top-2 h-0.5 rounded-full bg-primary motion-safe:animate-pulse" /> : null}
      {children}
    </div>
  );
}
