"use client";
// One task of the list: its row, or its editor (what it does: use-task-item.ts).
import type { ListTask } from "./optimistic-tasks";
import { TaskEditor } from "./task-editor";
import { TaskView } from "./task-view";
import { useTaskItem } from "./use-task-item";

export function TaskItem({ task }: { task: ListTask }) {
  const prefix = `task-${task.id}`;
  const { editor, errors, signedOut, busy, onToggle, onSave, startEditing, cancelEditing, askDelete } = useTaskItem(task, prefix);
  return (
    <li
      className="rounded-lg border border-input bg-card p-4"
      hidden={task.removed}
      data-completed={task.completed}
      data-pending={task.pending ? "" : undefined}
      data-testid="task-item"
      aria-busy={busy}
    >
      {editor.editing ? (
        <TaskEditor
          prefix={prefix}
          originalTitle={task.title}
          title={editor.title}
          description={editor.description}
          errors={errors}
          touched={editor.touched}
          signedOut={signedOut}
          onTitle={editor.setTitle}
          onDescription={editor.setDescription}
          onSave={onSave}
          onCancel={cancelEditing}
        />
      ) : (
        <TaskView
          task={task}
          prefix={prefix}
          busy={busy}
          error={errors.form ?? errors.title ?? errors.description}
          signedOut={signedOut}
          onToggle={onToggle}
          onEdit={startEditing}
          onDelete={askDelete}
        />
      )}
    </li>
  );
}
