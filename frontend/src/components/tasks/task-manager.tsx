"use client";
// The task list of /dashboard: add, edit, complete/uncomplete, delete, each shown at once and
// confirmed (or rolled back) by a server action (src/server/task-actions.ts); the browser never sees
// the backend token. Every outcome is said where it happened: a toast for a change that worked, an
// inline error on the form or the task for one that did not (never a replaced page), and what was
// typed is kept. The filters and the pager (links the page renders) navigate in a transition: the
// list stays, marked busy, until the next one arrives. The state behind it: use-task-list-state.ts.
import type { ReactNode } from "react";
// Type-only: erased from the browser bundle, so the client module's `server-only` guard never runs here.
import type { Task } from "@/lib/backend/client";
import { NavigationScope } from "../navigation/navigation-scope";
import { PendingRegion } from "../navigation/pending-region";
import { AddTaskForm } from "./add-task-form";
import { DeleteTaskDialog } from "./delete-task-dialog";
import type { Show } from "./optimistic-tasks";
import { TaskItem } from "./task-item";
import { TaskListContext } from "./task-list-context";
import { useTaskListState } from "./use-task-list-state";

export function TaskManager({ tasks, show, page, emptyText, filters, pager }: {
  tasks: Task[];
  show: Show;
  page: number;
  emptyText: string;
  filters?: ReactNode;
  pager?: ReactNode;
}) {
  const { items, api, deleting, asking, setAsking } = useTaskListState(tasks, show, page);
  const visible = items.filter((t) => !t.removed);
  return (
    <TaskListContext value={api}>
      <div className="grid gap-6">
        <AddTaskForm />
        <NavigationScope>
          <section className="grid gap-3" aria-labelledby="tasks-heading">
            <h2 id="tasks-heading" tabIndex={-1} className="m-0 text-lg font-semibold focus:outline-none">
              Tasks
            </h2>
            {filters}
            <PendingRegion testId="tasks-region">
              {visible.length === 0 ? (
                <p className="m-0 rounded-lg border border-dashed border-input p-6 text-center text-muted-foreground" data-testid="tasks-empty">
                  {emptyText}
                </p>
              ) : null}
              {/* Kept while empty: a task deleted a moment ago stays mounted (hidden) until the server has answered. */}
              <ul className="m-0 grid list-none gap-3 p-0" role="list" aria-label="Tasks" hidden={visible.length === 0}>
                {items.map((task) => (
                  <TaskItem key={task.id} task={task} />
                ))}
              </ul>
            </PendingRegion>
            {pager}
          </section>
        </NavigationScope>
        <DeleteTaskDialog request={deleting} open={asking} onOpenChange={setAsking} />
      </div>
    </TaskListContext>
  );
}
