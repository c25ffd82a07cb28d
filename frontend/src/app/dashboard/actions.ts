"use server";
// Task mutations, run on the Next.js server with the session's backend token. Each validates its
// input first and returns {ok} or {ok: false, error: {code, message, fields?}}; never throws to
// the browser, never echoes anything sensitive.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ErrorBody } from "@/lib/error-codes";
import { callBackend } from "@/server/backend";

export type ActionResult = { ok: true } | { ok: false; error: ErrorBody };

const title = z.string().trim().min(1, "Enter a title.").max(200, "The title must be at most 200 characters.");
const description = z.string().max(2000, "The description must be at most 2000 characters.");
const taskId = z.uuid("Unknown task.");

const createInput = z.object({ title, description: description.default("") });
const updateInput = z.object({ title: title.optional(), description: description.optional(), completed: z.boolean().optional() }).strict();

/** Parses input with a schema, or returns the 422-shaped error the UI shows next to each field. */
function validated<T>(schema: z.ZodType<T>, input: unknown): { ok: true; data: T } | { ok: false; error: ErrorBody } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fields = parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? "form"), message: i.message }));
  return { ok: false, error: { code: "VALIDATION_ERROR", message: fields[0]?.message ?? "Invalid input.", fields } };
}

async function done(result: { ok: boolean; error?: ErrorBody }): Promise<ActionResult> {
  if (!result.ok) return { ok: false, error: result.error! };
  revalidatePath("/dashboard");
  return { ok: true };
}

export async function createTask(input: { title: string; description: string }): Promise<ActionResult> {
  const v = validated(createInput, input);
  if (!v.ok) return v;
  return done(await callBackend((api) => api.POST("/api/tasks", { body: { ...v.data, completed: false } })));
}

export async function updateTask(id: string, patch: { title?: string; description?: string; completed?: boolean }): Promise<ActionResult> {
  const vid = validated(taskId, id);
  if (!vid.ok) return vid;
  const v = validated(updateInput, patch);
  if (!v.ok) return v;
  return done(await callBackend((api) => api.PATCH("/api/tasks/{task_id}", { params: { path: { task_id: vid.data } }, body: v.data })));
}

export async function deleteTask(id: string): Promise<ActionResult> {
  const vid = validated(taskId, id);
  if (!vid.ok) return vid;
  return done(await callBackend((api) => api.DELETE("/api/tasks/{task_id}", { params: { path: { task_id: vid.data } } })));
}
