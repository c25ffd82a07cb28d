// Validation of task input before it leaves the Next.js server (the backend validates again):
// title trimmed 1–200, description ≤ 2000, ids are UUIDs. Errors come back in the 422 shape.
import { z } from "zod";
import type { ErrorBody } from "./error-codes";

const title = z.string().trim().min(1, "Enter a title.").max(200, "The title must be at most 200 characters.");
const description = z.string().max(2000, "The description must be at most 2000 characters.");

export const taskId = z.uuid("Unknown task.");
export const taskCreateInput = z.object({ title, description: description.default("") }).strict();
export const taskUpdateInput = z.object({ title: title.optional(), description: description.optional(), completed: z.boolean().optional() }).strict();

export type Validated<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** Parses input with a schema, or returns {code: VALIDATION_ERROR, message, fields}. */
export function validated<T>(schema: z.ZodType<T>, input: unknown): Validated<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fields = parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? "form"), message: i.message }));
  return { ok: false, error: { code: "VALIDATION_ERROR", message: fields[0]?.message ?? "Invalid input.", fields } };
}
