import type { Metadata } from "next";
import Link from "next/link";
import { SignOutButtons } from "@/components/sign-out-buttons";
import { TaskManager } from "@/components/task-manager";
import { callBackend } from "@/server/backend";
import { requireSession } from "@/server/session";

export const metadata: Metadata = { title: "Dashboard" };

const PAGE_SIZE = 20;
const FILTERS = { all: undefined, open: false, done: true } as const;
type Filter = keyof typeof FILTERS;

function firstParam(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireSession(); // unauthenticated → /sign-in
  const params = await searchParams;
  const show: Filter = (["all", "open", "done"] as const).find((f) => f === firstParam(params.show)) ?? "all";
  const page = Math.max(1, Math.floor(Number(firstParam(params.page)) || 1));
  const completed = FILTERS[show];

  // Both calls go from this server to the backend with a token issued for this session.
  const [me, tasks] = await Promise.all([
    callBackend((api) => api.GET("/api/me")),
    callBackend((api) =>
      api.GET("/api/tasks", { params: { query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, ...(completed === undefined ? {} : { completed }) } } }),
    ),
  ]);

  const href = (p: number, s: Filter) => {
    const query = new URLSearchParams({ ...(s === "all" ? {} : { show: s }), ...(p > 1 ? { page: String(p) } : {}) }).toString();
    return query ? `/dashboard?${query}` : "/dashboard";
  };
  const total = tasks.ok ? tasks.data.total : 0;
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const emptyText = show === "all" ? "No tasks yet. Add your first one above." : show === "open" ? "No open tasks." : "No completed tasks.";

  return (
    <>
      <h1 data-testid="greeting">{me.ok ? `Hello, ${me.data.name}` : "Hello"}</h1>
      {me.ok ? (
        <p className="muted">
          Signed in as <span data-testid="backend-email">{me.data.email}</span> — this greeting came from the backend.
        </p>
      ) : (
        <p className="banner" role="alert">
          {me.error.message}
        </p>
      )}
      <SignOutButtons />
      <p>
        <Link href="/account/password">Change password</Link>
      </p>

      <h2 id="tasks-heading">Tasks</h2>
      <nav className="filters" aria-label="Filter tasks">
        {(["all", "open", "done"] as const).map((f) => (
          <Link key={f} href={href(1, f)} aria-current={f === show ? "page" : undefined}>
            {f === "all" ? "All" : f === "open" ? "Open" : "Done"}
          </Link>
        ))}
      </nav>
      {tasks.ok ? (
        <TaskManager tasks={tasks.data.items} emptyText={emptyText} />
      ) : (
        <p className="banner" role="alert">
          {tasks.error.message}
        </p>
      )}
      {lastPage > 1 ? (
        <nav className="pager" aria-label="Pages">
          {page > 1 ? <Link href={href(page - 1, show)}>Previous</Link> : <span />}
          <span className="muted">
            Page {page} of {lastPage} ({total} tasks)
          </span>
          {page < lastPage ? <Link href={href(page + 1, show)}>Next</Link> : <span />}
        </nav>
      ) : null}
    </>
  );
}
