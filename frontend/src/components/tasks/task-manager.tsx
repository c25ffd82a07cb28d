"use client";
// The task list of /dashboard: add, edit, complete/uncomplete, delete, each shown at once and
// confirmed (or rolled back) by a server action (src/server/task-actions.ts); the browser never sees
// the backend token. Every outcome is said where it happened: a toast for a change that worked, an
// inline error on the form or the task for one that did not (never a replaced page), and what was
// typed is kept. The filters and the pager (links the page renders) navigate in a transition: the
// list stays, marked busy, until the next one arrives.
import { useCallback, useMemo, useOptimistic, useState, useTransition, type ReactNode } from "react";
// Type-only: erased from the browser bundle, so the client module's `server-only` guard never runs here.
import type { Task } from "@/lib/backend/client";
import { createTask } from "@/server/task-actions";
import { NavigationScope } from "../navigation/navigation-scope";
import { PendingRegion } from "../navigation/pending-region";
import { ConfirmDialog } from "../ui/dialog";
import { toast } from "../ui/toaster";
import { AddTaskForm } from "./add-task-form";
import { admits, applyChange, type ListTask, pendingTask, type Show, shows, type TaskChange } from "./optimistic-tasks";
import { TaskItem } from "./task-item";
import { type DeleteRequest, type TaskListApi, TaskListContext } from "./task-list-context";
import { firstError, perform } from "./task-outcome";

export function TaskManager({ tasks, show, page, emptyText, filters, pager }: {
  tasks: Task[];
  show: Show;
  page: number;
  emptyText: string;
  filters?: ReactNode;
  pager?: ReactNode;
}) {
  const [items, change] = useOptimistic<ListTask[], TaskChange>(tasks, applyChange);
  const [, startTransition] = useTransition();

  const restore = useCallback(
    (task: Task) => {
      document.getElementById("tasks-heading")?.focus(); // the toast that had focus goes away
      startTransition(async () => {
        if (admits(show, page, task.completed)) change({ kind: "add", task: pendingTask(task) });
        const outcome = await perform(() => createTask({ title: task.title, description: task.description, completed: task.completed }));
        if (outcome.ok) toast.success(`Task restored: ${task.title}`);
        else toast.error(`“${task.title}” could not be restored: ${firstError(outcome.errors)}`);
      });
    },
    [change, page, show],
  );
  // One "Delete this task?" for the whole list (not one dialog per task): the task it asks about
  // stays named while the dialog closes.
  const [deleting, setDeleting] = useState<DeleteRequest | null>(null);
  const [asking, setAsking] = useState(false);
  const askDelete = useCallback((request: DeleteRequest) => {
    setDeleting(request);
    setAsking(true);
  }, []);
  const api = useMemo<TaskListApi>(
    () => ({ change, admits: (completed) => admits(show, page, completed), shows: (completed) => shows(show, completed), restore, askDelete }),
    [askDelete, change, page, restore, show],
  );
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
        <ConfirmDialog
          open={asking}
          onOpenChange={setAsking}
          title="Delete this task?"
          description={
            <>
              “<span className="[overflow-wrap:anywhere]">{deleting?.title}</span>” will be deleted. You can undo it for a few seconds.
            </>
          }
          confirmLabel="Delete task"
          onConfirm={() => deleting?.onConfirm()}
          // The task's row is gone at once: focus goes to the list's heading.
          focusAfterConfirm={() => document.getElementById("tasks-heading")}
        />
      </div>
    </TaskListContext>
  );
}
