// What a task request came to, in the terms the forms show: field errors, a form-wide error, or
// "you were signed out". Every request goes through `reach` (a deadline; an unreachable server is
// an answer, never a hang).
import type { ActionResult } from "@/server/task-actions";
import type { ErrorBody } from "@/lib/error-codes";
import { NETWORK_ERROR_MESSAGE, reach } from "../reach";

export type Errors = Partial<Record<"title" | "description" | "form", string>>;
export type Failure = { ok: false; errors: Errors; signedOut: boolean };
export type Outcome = { ok: true } | Failure;

/** A task's title and description kept across a sign-in when the session ended mid-typing. */
export const DRAFT_KEY = "authbridge:task-draft";

function toErrors(error: ErrorBody): Errors {
  if (!error.fields?.length) return { form: error.message };
  const out: Errors = {};
  for (const f of error.fields) {
    const key = f.field === "title" || f.field === "description" ? f.field : "form";
    out[key] ??= f.message;
  }
  return out;
}

/** Runs a server action with a deadline; never throws (an unreachable server is an inline error). */
export async function perform(action: () => Promise<ActionResult>): Promise<Outcome> {
  const result = await reach(() => action());
  if (!result.reached) return { ok: false, errors: { form: NETWORK_ERROR_MESSAGE }, signedOut: false };
  if (result.value.ok) return { ok: true };
  return { ok: false, errors: toErrors(result.value.error), signedOut: result.value.error.code === "SIGNED_OUT" };
}

/** Checks the title in the browser first, so an empty title never leaves the page. */
export function localErrors(title: string): Errors {
  return title.trim() ? {} : { title: "Enter a title." };
}

/** One line for a toast: the first error there is. */
export function firstError(errors: Errors): string {
  return errors.form ?? errors.title ?? errors.description ?? "Something went wrong.";
}
