// Every request a form sends goes through `reach`: it has a deadline, and a network failure or the
// deadline passing becomes one answer the form can show ("Couldn't reach the server — try again")
// while it re-enables itself and keeps what was typed. Without it a fetch that rejects (offline) or
// never answers (a network blip) leaves the form disabled for good.

export const NETWORK_ERROR_MESSAGE = "Couldn't reach the server — try again.";
/** Long enough for a cold database connection (src/server/db-policy.ts allows 10 s), short enough to not feel hung. */
const REQUEST_TIMEOUT_MS = 15_000;

export type Reached<T> = { reached: true; value: T } | { reached: false };

/**
 * Runs `run` with an AbortSignal that fires at the deadline. Settles at the latest at the
 * deadline, even when `run` ignores the signal (a server action cannot be aborted).
 */
export async function reach<T>(run: (signal: AbortSignal) => Promise<T>, timeoutMs: number = REQUEST_TIMEOUT_MS): Promise<Reached<T>> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<Reached<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ reached: false });
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal).then((value): Reached<T> => ({ reached: true, value })), deadline]);
  } catch {
    return { reached: false };
  } finally {
    clearTimeout(timer);
  }
}
