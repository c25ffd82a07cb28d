"use client";
// Tabs that are links (each tab is its own page and URL): the current one is aria-current="page".
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "./cn";

export interface NavTab {
  href: string;
  label: string;
}

export function NavTabs({ tabs, label, className }: { tabs: readonly NavTab[]; label: string; className?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className={cn("border-b border-border", className)}>
      <ul className="-mb-px flex list-none gap-1 overflow-x-auto p-0" role="list">
        {tabs.map((tab) => {
          const current = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "inline-block whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium no-underline",
                  current ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:border-input hover:text-foreground",
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
