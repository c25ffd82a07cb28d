import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { TaskManager } from "@/components/task-manager";
import { FormError } from "@/components/ui/form-error";
import { cn } from "@/components/ui/cn";
import { buttonVariants } from "@/components/ui/button";
import { callBackend } from "@/server/backend";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Tasks" };

const PAGE_SIZE = 20;
const FILTERS = { all: undefined, open: false, done: true } as const;
type Filter = keyof typeof FILTERS;
const FILTER_LABELS: Record<Filter, string> = { all: "All", open: "Open", done: "Done" };

function firstParam(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function href(p: number, s: Filter): string {
  const query = new URLSearchParams({ ...(s === "all" ? {} : { show: s }), ...(p > 1 ? { page: String(p) } : {}) }).toString();
  return query ? `/dashboard?${query}` : "/dashboard";
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const show: Filter = (["all", "open", "done"] as const).find((f) => f === firstParam(params.show)) ?? "all";
  const page = Math.max(1, Math.floor(Number(firstParam(params.page)) || 1));
  const here = href(page, show);
  await requireSession(here); // unauthenticated → /sign-in, and back here afterwards
  const completed = FILTERS[show];

  // Both calls go from this server to the backend with a token issued for this session.
  const [me, tasks] = await Promise.all([
    callBackend((api) => api.GET("/api/me"), { returnTo: here }),
    callBackend(
      (api) => api.GET("/api/tasks", { params: { query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, ...(completed === undefined ? {} : { completed }) } } }),
      { returnTo: here },
    ),
  ]);

  const total = tasks.ok ? tasks.data.total : 0;
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // Past the end (the last task of the last page was deleted, or an old link): the last page that has tasks.
  if (tasks.ok && page > lastPage) redirect(href(lastPage, show));
  const emptyText = show === "all" ? "No tasks yet. Add your first one above." : show === "open" ? "No open tasks." : "No completed tasks.";

  const filters = (
    <nav aria-label="Filter tasks">
      <ul className="m-0 inline-flex list-none gap-1 rounded-md border border-input p-1" role="list">
        {(["all", "open", "done"] as const).map((f) => (
          <li key={f}>
            <Link
              href={href(1, f)}
              aria-current={f === show ? "page" : undefined}
              className={cn(
                "inline-block rounded-sm px-3 py-1 text-sm font-medium no-underline",
                f === show ? "bg-primary text-primary-foreground" : "text-foreground hover:bg-accent",
              )}
            >
              {FILTER_LABELS[f]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
  const pager =
    lastPage > 1 ? (
      <nav className="flex items-center justify-between gap-2" aria-label="Pages">
        {page > 1 ? (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={href(page - 1, show)}>
            Previous
          </Link>
        ) : (
          <span />
        )}
        <span className="text-sm text-muted-foreground" data-testid="pager-status">
          Page {page} of {lastPage} ({total} tasks)
        </span>
        {page < lastPage ? (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={href(page + 1, show)}>
            Next
          </Link>
        ) : (
          <span />
        )}
      </nav>
    ) : null;

  return (
    <div className="mx-auto grid max-w-2xl gap-6">
      <div className="grid gap-1">
        <h1 className="m-0 text-3xl font-bold tracking-tight [overflow-wrap:anywhere]" data-testid="greeting">
          {me.ok ? `Hello, ${me.data.name}` : "Hello"}
        </h1>
        {me.ok ? (
          <p className="m-0 text-muted-foreground">
            {total === 0 && show === "all" ? "Nothing on your list yet." : `${total} ${show === "open" ? "open " : show === "done" ? "completed " : ""}task${total === 1 ? "" : "s"}.`}
          </p>
        ) : (
          <FormError message={me.error.message} />
        )}
      </div>
      {tasks.ok ? (
        <TaskManager tasks={tasks.data.items} emptyText={emptyText} filters={filters} pager={pager} />
      ) : (
        <FormError message={tasks.error.message} />
      )}
    </div>
  );
}
