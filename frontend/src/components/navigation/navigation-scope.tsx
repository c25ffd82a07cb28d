"use client";
// One navigation transition shared by the links inside a scope (a list's filters and pager, a set of
// tabs): while the next page is on its way, the links know which one was followed (TransitionLink
// marks it) and the content they replace knows it is about to change (PendingRegion: aria-busy,
// dimmed). The previous content stays until the new one arrives: the navigation runs in a React
// transition, so nothing is replaced by a fallback.
import { useRouter } from "next/navigation";
import { createContext, useContext, useState, useTransition, type ReactNode } from "react";

export interface Navigation {
  /** The href being navigated to, while its page is on its way; null otherwise. */
  pendingHref: string | null;
  navigate: (href: string, options?: { scroll?: boolean }) => void;
}

const NavigationContext = createContext<Navigation | null>(null);

/** The scope's navigation, or null outside any scope. */
export function useNavigationScope(): Navigation | null {
  return useContext(NavigationContext);
}

/** A client-side navigation in a transition of its own (for links outside any scope, and for the scope itself). */
export function useTransitionNavigation(): Navigation {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [target, setTarget] = useState<string | null>(null);
  return {
    pendingHref: pending ? target : null,
    navigate(href, options) {
      setTarget(href);
      startTransition(() => router.push(href, options));
    },
  };
}

export function NavigationScope({ children }: { children: ReactNode }) {
  const navigation = useTransitionNavigation();
  return <NavigationContext value={navigation}>{children}</NavigationContext>;
}
