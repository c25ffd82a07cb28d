"use client";
// After a client-side navigation, focus moves to the new page's heading, so keyboard and
// screen-reader users start at the top of what changed instead of on the page body.
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

export function RouteFocus() {
  const pathname = usePathname();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // A page inside a layout with its own h1 (the settings tabs) marks the heading of its part.
    const heading = document.querySelector<HTMLElement>("main [data-route-heading]") ?? document.querySelector<HTMLElement>("main h1");
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }, [pathname]);
  return null;
}
