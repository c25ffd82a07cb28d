"use client";
// A next/link whose navigation runs in a React transition (navigation-scope.tsx): from the click
// until the next page has arrived, the link is marked (data-pending, a spinner beside its text) and,
// inside a NavigationScope, the region it replaces is aria-busy. Modified clicks (new tab, …) and
// prefetching are next/link's own, unchanged.
import { LoaderCircle } from "lucide-react";
import Link from "next/link";
import type { ComponentProps } from "react";
import { useNavigationScope, useTransitionNavigation } from "./navigation-scope";

type Props = Omit<ComponentProps<typeof Link>, "href" | "onNavigate"> & { href: string };

export function TransitionLink({ href, scroll, children, ...props }: Props) {
  const own = useTransitionNavigation();
  const navigation = useNavigationScope() ?? own;
  const pending = navigation.pendingHref === href;
  return (
    <Link
      {...props}
      href={href}
      scroll={scroll}
      data-pending={pending ? "" : undefined}
      onNavigate={(event) => {
        event.preventDefault();
        navigation.navigate(href, scroll === false ? { scroll: false } : undefined);
      }}
    >
      {children}
      {pending ? <LoaderCircle aria-hidden className="ml-1.5 inline size-3.5 align-[-0.125em] motion-safe:animate-spin" /> : null}
    </Link>
  );
}
