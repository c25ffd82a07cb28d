// What a verification link is before anything spends it (docs/security.md "Email verification"): the
// user it was made for, or why it no longer works, so the page can say so and offer a new link.
// Better Auth signs these links (HS256 with the auth secret, claims `email` and `userId`); its own
// /verify-email is switched off (auth-options.ts), and src/server/verify-address/ decides what
// opening one does.
import "server-only";
import { jwtVerify } from "jose";
import { JWTExpired } from "jose/errors";
import { type ObservedPool, queryVia } from "../db";

export type LinkProblem = "expired" | "invalid" | "used";

export type VerificationLink = { problem: LinkProblem } | { problem: null; userId: string; email: string };

type Db = Pick<ObservedPool, "connect">;

export async function readVerificationLink(token: string, secret: string, db: Db): Promise<VerificationLink> {
  let payload: Record<string, unknown>;
  try {
    // The same check Better Auth makes (HS256 with the auth secret), and nothing weaker.
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ["HS256"] }));
  } catch (err) {
    return { problem: err instanceof JWTExpired ? "expired" : "invalid" };
  }
  // A link to confirm one address of one user: a change-of-address link (`updateTo`) of Better Auth's
  // own flow, which this app does not use (src/server/email-change/), or any other token signed
  // with the same secret (a backend token) is not one.
  if (typeof payload.email !== "string" || typeof payload.userId !== "string" || payload.updateTo !== undefined) return { problem: "invalid" };
  const { rows } = await queryVia<{ id: string; email_verified: boolean }>(db, 'SELECT id, email_verified FROM "user" WHERE email = $1', [
    payload.email.toLowerCase(),
  ]);
  const user = rows[0];
  // Bound to the user it was made for: not to another account that has the address now.
  if (!user || payload.userId !== user.id) return { problem: "invalid" };
  if (user.email_verified) return { problem: "used" };
  return { problem: null, userId: user.id, email: payload.email.toLowerCase() };
}

export async function verificationLinkProblem(token: string, secret: string, db: Db): Promise<LinkProblem | null> {
  return (await readVerificationLink(token, secret, db)).problem;
}
