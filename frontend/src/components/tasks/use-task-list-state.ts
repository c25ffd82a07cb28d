"use client";
// The state behind the task list (task-manager.tsx): the list as the user sees it (the server's,
// with the changes on their way: optimistic-tasks.ts), and what the add form and the items get
// through TaskListContext: the optimistic change, where a task belongs, Undo, and the one
// "Delete this task?" dialog the whole list shares (not one per task).
import { useCallback, useMemo, useOptimistic, useState, useTransition } from "react";
// Type-only: erased from the browser bundle, so the client module's `server-only` guard never runs here.
import type { Task } from "@/lib/backend/client";
import { createTask } from "@/server/task-actions";
import { toast } from "../ui/toaster";
import { admits, applyChange, type ListTask, pendingTask, type Show, shows, type TaskChange } from "./optimistic-tasks";
import type { DeleteRequest, TaskListApi } from "./task-list-context";
import { firstError, perform } from "./task-outcome";

export function useTaskListState(tasks: Task[], show: Show, page: number) {
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
  // The task the dialog asks about stays named while the dialog closes.
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
  return { items, api, deleting, asking, setAsking };
}
