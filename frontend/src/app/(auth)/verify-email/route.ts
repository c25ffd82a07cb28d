// GET /verify-email?token=… — the link in the confirmation email (docs/security.md "Email
// verification", "Pre-account takeover"). This browser holds a session of the link's user (the one
// that signed up here): the address is confirmed at once, every other session ends, and the user
// lands on the dashboard. Anyone else lands on /verify-email/confirm, which asks which credential
// survives (the password, or a new one set by the address's owner), and never switches a browser
// signed in to another account without asking. An expired, used or forged link lands on
// /check-email, which says so and offers a new link.
import { env } from "@/env";
import { auth, pool } from "@/server/auth";
import { readVerificationLink } from "@/server/mail/verification-link";

const seeOther = (location: string) => new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });

export async function GET(request: Request): Promise<Response> {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const link = token ? await readVerificationLink(token, env.BETTER_AUTH_SECRET, pool) : { problem: "invalid" as const };
  if (link.problem !== null) return seeOther(`/check-email?link=${link.problem}`);
  const session = await auth.api.getSession({ headers: request.headers });
  if (session?.user.id === link.userId) {
    const answer = await auth.api.verifyAddressWithSession({ body: { token }, headers: request.headers, asResponse: true });
    return seeOther(answer.ok ? "/dashboard" : "/check-email?link=invalid");
  }
  return seeOther(`/verify-email/confirm?token=${encodeURIComponent(token)}`);
}
