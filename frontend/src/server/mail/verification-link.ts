// What a verification link is before Better Auth spends it (docs/security.md "Email verification").
// Better Auth's /verify-email sends an expired or forged link back with ?error=, and a link whose
// email is already verified (a used link) to the callback page without a session; neither tells
// the user what happened. This names the case, so the page can say it and offer a new link.
import "server-only";
import { jwtVerify } from "jose";
import { JWTExpired } from "jose/errors";
import type { Pool } from "pg";

export type LinkProblem = "expired" | "invalid" | "used";

export async function verificationLinkProblem(token: string, secret: string, pool: Pool): Promise<LinkProblem | null> {
  let payload: Record<string, unknown>;
  try {
    // The same check Better Auth makes (HS256 with the auth secret), and nothing weaker.
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ["HS256"] }));
  } catch (err) {
    return err instanceof JWTExpired ? "expired" : "invalid";
  }
  if (typeof payload.email !== "string") return "invalid";
  // A change of address is verified against the user's old address; Better Auth judges it.
  if (payload.updateTo !== undefined) return null;
  const { rows } = await pool.query<{ id: string; email_verified: boolean }>(
    'SELECT id, email_verified FROM "user" WHERE email = $1',
    [payload.email.toLowerCase()],
  );
  const user = rows[0];
  if (!user || (typeof payload.userId === "string" && payload.userId !== user.id)) return "invalid";
  return user.email_verified ? "used" : null;
}
