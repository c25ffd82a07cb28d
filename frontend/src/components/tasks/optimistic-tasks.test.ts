import { describe, expect, it } from "vitest";
import { admits, applyChange, type ListTask, pendingTask, shows } from "./optimistic-tasks";

const task = (id: string, completed = false): ListTask => ({ id, title: id, description: "", completed, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" });

describe("the optimistic task list", () => {
  it("puts a new task first, pending, with its title trimmed and a stand-in id", () => {
    const added = pendingTask({ title: "  New  ", description: "d", completed: false });
    const list = applyChange([task("a")], { kind: "add", task: added });
    expect(list.map((t) => t.title)).toEqual(["New", "a"]);
    expect(list[0]).toMatchObject({ pending: true, description: "d", completed: false });
    expect(list[0]!.id).toMatch(/^pending-\d+$/);
    expect(pendingTask({ title: "x", description: "", completed: true }).id).not.toBe(added.id);
  });

  it("changes only the task named, and hides a removed one without dropping it", () => {
    const before = [task("a"), task("b")];
    expect(applyChange(before, { kind: "update", id: "b", patch: { title: "B", completed: true } })).toEqual([task("a"), { ...task("b"), title: "B", completed: true }]);
    const removed = applyChange(before, { kind: "remove", id: "a" });
    expect(removed).toHaveLength(2);
    expect(removed[0]).toMatchObject({ id: "a", removed: true });
    expect(removed[1]!.removed).toBeUndefined();
    expect(before[0]!.removed).toBeUndefined(); // the server's list is never changed
  });

  it("shows a new task only where the list would: page 1, a filter it matches", () => {
    expect(admits("all", 1, true)).toBe(true);
    expect(admits("open", 1, false)).toBe(true);
    expect(admits("open", 1, true)).toBe(false);
    expect(admits("done", 1, true)).toBe(true);
    expect(admits("all", 2, false)).toBe(false);
    expect(shows("done", false)).toBe(false);
    expect(shows("all", false)).toBe(true);
  });
});
