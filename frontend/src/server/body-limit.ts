// The request-body cap of /api/auth/* (docs/security.md "Profile fields"): no Better Auth request
// needs more than a few hundred bytes, and Better Auth itself reads any body whole. A declared
// Content-Length over the cap is refused unread; a body without one (chunked) is counted while it
// streams and refused as soon as it passes the cap, so at most the cap plus one chunk is ever held.
import "server-only";

export const AUTH_BODY_LIMIT_BYTES = 64 * 1024;

const PAYLOAD_TOO_LARGE_MESSAGE = `The request body is larger than ${AUTH_BODY_LIMIT_BYTES / 1024} KiB.`;

const refusal = (status: number, code: string, message: string) =>
  Response.json({ code, message }, { status, headers: { "cache-control": "no-store", connection: "close" } });

/**
 * `request` with its body in memory, or the answer to give instead: 413 PAYLOAD_TOO_LARGE over the
 * cap, 400 BODY_UNREADABLE if the client broke the upload off.
 */
export async function boundedRequest(request: Request, limitBytes = AUTH_BODY_LIMIT_BYTES): Promise<Request | Response> {
  try {
    return (await readBoundedBody(request, limitBytes)) ?? refusal(413, "PAYLOAD_TOO_LARGE", PAYLOAD_TOO_LARGE_MESSAGE);
  } catch {
    return refusal(400, "BODY_UNREADABLE", "The request body could not be read.");
  }
}

/**
 * `request` with its body read into memory, or `null` if the body is larger than `limitBytes`.
 * Requests without a body come back as they are.
 */
async function readBoundedBody(request: Request, limitBytes = AUTH_BODY_LIMIT_BYTES): Promise<Request | null> {
  if (request.body === null) return request;
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limitBytes) return null;

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      // Stop reading; the server drains or drops the rest of the upload without keeping it.
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const headers = new Headers(request.headers);
  headers.delete("transfer-encoding");
  headers.set("content-length", String(total));
  return new Request(request.url, { method: request.method, headers, body, signal: request.signal });
}
