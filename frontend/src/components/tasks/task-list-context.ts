// What the task list gives its add form and its items: the optimistic change (called inside their
// own transitions), whether a new task belongs on this page, and Undo for a deleted task.
import { createContext, useContext } from "react";
import type { Task } from "@/lib/backend/client";
import type { TaskChange } from "./optimistic-tasks";

export interface TaskListApi {
  change: (change: TaskChange) => void;
  /** Whether the list on screen (its filter, its page) shows a new task with this state. */
  admits: (completed: boolean) => boolean;
  /** Whether the list's filter shows a task with this state. */
  shows: (completed: boolean) => boolean;
  /** Puts a deleted task back (a new one with its title, description and state). */
  restore: (task: Task) => void;
  /** Asks "Delete this task?" (one dialog for the whole list); `onConfirm` runs when the user says yes. */
  askDelete: (request: DeleteRequest) => void;
}

export interface DeleteRequest {
  title: string;
  onConfirm: () => void;
}

export const TaskListContext = createContext<TaskListApi | null>(null);

export function useTaskList(): TaskListApi {
  const api = useContext(TaskListContext);
  if (!api) throw new Error("useTaskList: outside TaskManager");
  return api;
}
