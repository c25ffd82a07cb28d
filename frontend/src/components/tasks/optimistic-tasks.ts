// The task list as the user sees it while changes are on their way to the server (React's
// useOptimistic over the list the server rendered): a new task shows at once (pending until the
// server has it), an edit or a toggle shows at once, and a deleted task disappears at once. When
// the server answers, the list it renders replaces all of this; when it refuses, the list is simply
// the server's again, which is the rollback.
import type { Task } from "@/lib/backend/client";

export type ListTask = Task & {
  /** Not stored yet: a new task (or one put back by Undo) whose request is on its way. */
  pending?: boolean;
  /** Deleted, waiting for the server: hidden, but kept mounted so a refusal can show on it. */
  removed?: boolean;
};

export type TaskChange =
  | { kind: "add"; task: ListTask }
  | { kind: "update"; id: string; patch: Partial<Pick<Task, "title" | "description" | "completed">> }
  | { kind: "remove"; id: string };

export function applyChange(tasks: ListTask[], change: TaskChange): ListTask[] {
  switch (change.kind) {
    case "add":
      return [change.task, ...tasks];
    case "update":
      return tasks.map((t) => (t.id === change.id ? { ...t, ...change.patch } : t));
    case "remove":
      return tasks.map((t) => (t.id === change.id ? { ...t, removed: true } : t));
  }
}

let sequence = 0;

/** A task as it will look once stored, with a stand-in id until the server gives it one. */
export function pendingTask({ title, description, completed }: Pick<Task, "title" | "description" | "completed">): ListTask {
  const now = new Date().toISOString();
  sequence += 1;
  return { id: `pending-${sequence}`, title: title.trim(), description, completed, created_at: now, updated_at: now, pending: true };
}

export type Show = "all" | "open" | "done";

/** Does a list filtered by `show` show a task with this state? */
export function shows(show: Show, completed: boolean): boolean {
  return show === "all" || (show === "done") === completed;
}

/** Does the list filtered by `show`, on page `page` (newest first), take a new task with this state? */
export function admits(show: Show, page: number, completed: boolean): boolean {
  return page === 1 && shows(show, completed);
}
