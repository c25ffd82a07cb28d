import { describe, expect, it } from "vitest";
import { taskCreateInput, taskId, taskUpdateInput, validated } from "./task-input";

describe("task input", () => {
  it("trims the title and defaults the description", () => {
    expect(validated(taskCreateInput, { title: "  Buy milk  " })).toEqual({ ok: true, data: { title: "Buy milk", description: "" } });
  });

  it("refuses a blank title with a field error", () => {
    expect(validated(taskCreateInput, { title: "   ", description: "" })).toEqual({
      ok: false,
      error: { code: "VALIDATION_ERROR", message: "Enter a title.", fields: [{ field: "title", message: "Enter a title." }] },
    });
  });

  it("bounds title and description lengths", () => {
    expect(validated(taskCreateInput, { title: "x".repeat(200), description: "d".repeat(2000) }).ok).toBe(true);
    expect(validated(taskCreateInput, { title: "x".repeat(201) }).ok).toBe(false);
    expect(validated(taskCreateInput, { title: "x", description: "d".repeat(2001) }).ok).toBe(false);
  });

  it("refuses unknown fields such as an owner", () => {
    const r = validated(taskUpdateInput, { completed: true, user_id: "someone-else" });
    expect(r.ok).toBe(false);
  });

  it("accepts only UUID task ids", () => {
    expect(validated(taskId, "0b1e0bb8-8a2e-4d25-9f4e-2a9c6f1d3e55").ok).toBe(true);
    expect(validated(taskId, "../../etc/passwd").ok).toBe(false);
  });
});
