"use client";
// Tabs that are links (each tab is its own page and URL): the current one is aria-current="page".
// They wrap onto a second row rather than scroll out of sight, so no tab is ever cut mid-word, and
// each is a 44 px touch target below `sm`; from `sm` up they are underlined tabs on one line.
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
    <nav aria-label={label} className={cn("sm:border-b sm:border-border", className)}>
      <ul className="flex list-none flex-wrap gap-2 p-0 sm:-mb-px sm:flex-nowrap sm:gap-1" role="list">
        {tabs.map((tab) => {
          const current = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "flex min-h-11 items-center whitespace-nowrap rounded-md border px-3 py-2 text-sm font-medium no-underline",
                  "sm:min-h-0 sm:rounded-none sm:border-0 sm:border-b-2",
                  current
                    ? "border-primary bg-accent text-foreground sm:bg-transparent"
                    : "border-input text-muted-foreground hover:bg-accent hover:text-foreground sm:border-transparent sm:hover:border-input sm:hover:bg-transparent",
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
