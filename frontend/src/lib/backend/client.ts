// Typed client for the FastAPI backend. Types are generated from contracts/openapi.json
// (`npm run gen:api`); nothing about the API is typed by hand. Server-only: the token it attaches
// never reaches the browser.
import "server-only";
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

/** A task as the backend returns it (the task list of /dashboard renders these). */
export type Task = components["schemas"]["TaskPublic"];

export const BACKEND_TIMEOUT_MS = 10_000;
/** One request followed from the proxy through the frontend to the backend (deploy/services.json). */
export const REQUEST_ID_HEADER = "x-request-id";

export function createBackendClient(baseUrl: string, token: string, requestId?: string) {
  const client = createClient<paths>({ baseUrl });
  const attachToken: Middleware = {
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      if (requestId) request.headers.set(REQUEST_ID_HEADER, requestId);
      return new Request(request, { signal: AbortSignal.timeout(BACKEND_TIMEOUT_MS) });
    },
  };
  client.use(attachToken);
  return client;
}

export type BackendClient = ReturnType<typeof createBackendClient>;
