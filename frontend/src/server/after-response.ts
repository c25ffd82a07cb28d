// Work that follows a response (account mail): inside a request it is handed to Next.js's `after()`,
// which runs it once the response is sent and keeps a serverless function alive until it settles
// (https://nextjs.org/docs/app/api-reference/functions/after); outside one (tests, scripts) it
// runs detached on the next turn of the event loop. Either way the caller never waits for it.
import { after } from "next/server";

export function afterResponse(task: () => Promise<void>): void {
  try {
    after(task);
    return;
  } catch {
    // `after` throws only outside a request scope: nothing would keep this process alive for us.
  }
  void new Promise<void>((resolve) => setImmediate(resolve)).then(task);
}
