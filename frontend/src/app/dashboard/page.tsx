import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { Show } from "@/components/tasks/optimistic-tasks";
import { TaskFilters } from "@/components/tasks/task-filters";
import { TaskManager } from "@/components/tasks/task-manager";
import { TaskPager } from "@/components/tasks/task-pager";
import { FormError } from "@/components/ui/form-error";
import { callBackend } from "@/server/backend";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Tasks" };

const PAGE_SIZE = 20;
const COMPLETED: Record<Show, boolean | undefined> = { all: undefined, open: false, done: true };

function firstParam(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function href(p: number, s: Show): string {
  const query = new URLSearchParams({ ...(s === "all" ? {} : { show: s }), ...(p > 1 ? { page: String(p) } : {}) }).toString();
  return query ? `/dashboard?${query}` : "/dashboard";
}

function summary(total: number, show: Show): string {
  if (total === 0 && show === "all") return "Nothing on your list yet.";
  return `${total} ${show === "open" ? "open " : show === "done" ? "completed " : ""}task${total === 1 ? "" : "s"}.`;
}

// What a render costs (docs/benchmarks.md "i. Pages"): the session (one statement, with its user:
// the greeting's name comes from it) and one call to the backend for the page of tasks (one
// statement there; the backend answers the session from its cache).
export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const show: Show = (["all", "open", "done"] as const).find((f) => f === firstParam(params.show)) ?? "all";
  const page = Math.max(1, Math.floor(Number(firstParam(params.page)) || 1));
  const here = href(page, show);
  const { user } = await requireSession(here); // unauthenticated → /sign-in, and back here afterwards
  const completed = COMPLETED[show];
  const tasks = await callBackend(
    (api) => api.GET("/api/tasks", { params: { query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, ...(completed === undefined ? {} : { completed }) } } }),
    { returnTo: here },
  );

  const total = tasks.ok ? tasks.data.total : 0;
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // Past the end (the last task of the last page was deleted, or an old link): the last page that has tasks.
  if (tasks.ok && page > lastPage) redirect(href(lastPage, show));
  const emptyText = show === "all" ? "No tasks yet. Add your first one above." : show === "open" ? "No open tasks." : "No completed tasks.";

  return (
    <div className="mx-auto grid max-w-2xl gap-6">
      <div className="grid gap-1">
        <h1 className="m-0 text-3xl font-bold tracking-tight [overflow-wrap:anywhere]" data-testid="greeting">
          {`Hello, ${user.name}`}
        </h1>
        {tasks.ok ? <p className="m-0 text-muted-foreground">{summary(total, show)}</p> : null}
      </div>
      {tasks.ok ? (
        <TaskManager
          tasks={tasks.data.items}
          show={show}
          page={page}
          emptyText={emptyText}
          filters={<TaskFilters show={show} hrefOf={(s) => href(1, s)} />}
          pager={<TaskPager page={page} lastPage={lastPage} total={total} hrefOf={(p) => href(p, show)} />}
        />
      ) : (
        <FormError message={tasks.error.message} />
      )}
    </div>
  );
}
