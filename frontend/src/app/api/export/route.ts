// GET /api/export: the signed-in user's data, from the backend's GET /api/me/export, streamed to the
// browser as the download the backend names (docs/security.md "Step-up"). The backend token is
// issued here, on the server, for this request's session: the browser holds only its session cookie.
// The backend asks for a recent sign-in (and a second factor from a user who has one); its 401
// INSUFFICIENT_USER_AUTHENTICATION comes back as that code, so the Settings page asks "Confirm it's
// you" (src/components/account/download-data.tsx) and tries again.
import { backendTokenForSession } from "@authbridge/better-auth";
import { env } from "@/env";
import { BACKEND_TIMEOUT_MS, REQUEST_ID_HEADER } from "@/lib/backend/client";
import { ERROR_CODES } from "@/lib/error-codes";
import { auth } from "@/server/auth";

export const dynamic = "force-dynamic";

const STEP_UP = "INSUFFICIENT_USER_AUTHENTICATION";
/** What of the backend's download answer goes on to the browser. */
const PASSED_ON = ["content-type", "content-disposition", "content-length"] as const;

const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

const signedOut = () => answer(401, { code: "SIGNED_OUT", message: ERROR_CODES.SIGNED_OUT });
const unavailable = () => answer(503, { code: "BACKEND_UNAVAILABLE", message: ERROR_CODES.BACKEND_UNAVAILABLE });

export async function GET(request: Request): Promise<Response> {
  const session = await auth.api.getSession({ headers: request.headers });
  if (!session) return signedOut();
  const { token } = await backendTokenForSession(auth, session);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, "user-agent": request.headers.get("user-agent") ?? "" };
  const requestId = request.headers.get(REQUEST_ID_HEADER);
  if (requestId) headers[REQUEST_ID_HEADER] = requestId;
  let backend: Response;
  try {
    backend = await fetch(`${env.BACKEND_URL}/api/me/export`, { headers, cache: "no-store", signal: AbortSignal.timeout(BACKEND_TIMEOUT_MS) });
  } catch {
    return unavailable();
  }
  if (backend.ok) {
    const passed: Record<string, string> = { "cache-control": "no-store" };
    for (const name of PASSED_ON) {
      const value = backend.headers.get(name);
      if (value) passed[name] = value;
    }
    return new Response(backend.body, { status: 200, headers: passed });
  }
  const body = (await backend.json().catch(() => null)) as { code?: string } | null;
  if (backend.status === 401 && body?.code === STEP_UP) {
    const challenge = backend.headers.get("www-authenticate") ?? "";
    return answer(401, { code: STEP_UP, message: "Confirm it's you.", secondFactor: /acr_values="mfa"/.test(challenge) });
  }
  if (backend.status === 401) return signedOut();
  if (backend.status === 503) return unavailable();
  return answer(502, { code: "BACKEND_ERROR", message: ERROR_CODES.BACKEND_ERROR });
}
