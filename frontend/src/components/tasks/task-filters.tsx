// The list's filters (All, Open, Done): links, each its own URL, that navigate in the list's
// transition (TransitionLink inside TaskManager's NavigationScope).
import { TransitionLink } from "../navigation/transition-link";
import { cn } from "../ui/cn";
import type { Show } from "./optimistic-tasks";

const LABELS: Record<Show, string> = { all: "All", open: "Open", done: "Done" };

export function TaskFilters({ show, hrefOf }: { show: Show; hrefOf: (show: Show) => string }) {
  return (
    <nav aria-label="Filter tasks">
      <ul className="m-0 inline-flex list-none gap-1 rounded-md border border-input p-1" role="list">
        {(["all", "open", "done"] as const).map((f) => (
          <li key={f}>
            <TransitionLink
              href={hrefOf(f)}
              aria-current={f === show ? "page" : undefined}
              className={cn(
                "inline-flex min-h-11 min-w-11 items-center justify-center rounded-sm px-3 py-1 text-sm font-medium no-underline sm:min-h-9 sm:min-w-0",
                f === show ? "bg-primary text-primary-foreground" : "text-foreground hover:bg-accent",
              )}
            >
              {LABELS[f]}
            </TransitionLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
