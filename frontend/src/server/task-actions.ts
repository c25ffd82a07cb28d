"use server";
// Task mutations (server actions), run on the Next.js server with the session's backend token. The
// task list's components import them from here, not from a route. Each validates its input first
// and returns {ok} or {ok: false, error: {code, message, fields?}}; never throws to the browser,
// never echoes anything sensitive. A session that ended (signed out in another tab) is the error
// SIGNED_OUT, never a redirect: the form keeps what was typed and says what happened.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ERROR_CODES, type ErrorBody } from "@/lib/error-codes";
import { taskCreateInput, taskId, taskUpdateInput, validated } from "@/lib/task-input";
import { callBackend, type CallOptions } from "./backend";
import { getSession } from "./session";

export type ActionResult = { ok: true } | { ok: false; error: ErrorBody };

const AS_RESULT: CallOptions = { signedOut: "result" };
const SIGNED_OUT: ActionResult = { ok: false, error: { code: "SIGNED_OUT", message: ERROR_CODES.SIGNED_OUT } };
/** A new task, or one put back by "Undo" after a delete (with the state it had). */
const taskNewInput = taskCreateInput.extend({ completed: z.boolean().default(false) });

async function done(result: { ok: boolean; error?: ErrorBody }): Promise<ActionResult> {
  if (!result.ok) return { ok: false, error: result.error! };
  revalidatePath("/dashboard");
  return { ok: true };
}

export async function createTask(input: { title: string; description: string; completed?: boolean }): Promise<ActionResult> {
  const v = validated(taskNewInput, input);
  if (!v.ok) return v;
  if (!(await getSession())) return SIGNED_OUT;
  return done(await callBackend((api) => api.POST("/api/tasks", { body: v.data }), AS_RESULT));
}

export async function updateTask(id: string, patch: { title?: string; description?: string; completed?: boolean }): Promise<ActionResult> {
  const vid = validated(taskId, id);
  if (!vid.ok) return vid;
  const v = validated(taskUpdateInput, patch);
  if (!v.ok) return v;
  if (!(await getSession())) return SIGNED_OUT;
  return done(await callBackend((api) => api.PATCH("/api/tasks/{task_id}", { params: { path: { task_id: vid.data } }, body: v.data }), AS_RESULT));
}

export async function deleteTask(id: string): Promise<ActionResult> {
  const vid = validated(taskId, id);
  if (!vid.ok) return vid;
  if (!(await getSession())) return SIGNED_OUT;
  return done(await callBackend((api) => api.DELETE("/api/tasks/{task_id}", { params: { path: { task_id: vid.data } } }), AS_RESULT));
}
