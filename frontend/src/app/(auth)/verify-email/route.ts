// GET /verify-email?token=… — the link in the confirmation email (docs/security.md "Email
// verification", "Pre-account takeover"). This browser holds a session of the link's user (the one
// that signed up here), or in strict mode the sign-up marker of that user: the address is confirmed
// at once, every other session ends, and the user lands on the dashboard, signed in. Anyone else
// lands on /verify-email/confirm, which asks which credential
// survives (the password, or a new one set by the address's owner), and never switches a browser
// signed in to another account without asking. An expired, used or forged link lands on
// /check-email, which says so and offers a new link.
import { env } from "@/env";
import { auth, pool } from "@/server/auth";
import { readVerificationLink } from "@/server/mail/verification-link";

const seeOther = (location: string, cookies: string[] = []) => {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
};

export async function GET(request: Request): Promise<Response> {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const link = token ? await readVerificationLink(token, env.BETTER_AUTH_SECRET, pool) : { problem: "invalid" as const };
  if (link.problem !== null) return seeOther(`/check-email?link=${link.problem}`);
  const session = await auth.api.getSession({ headers: request.headers });
  if (!session || session.user.id === link.userId) {
    const answer = await auth.api.verifyAddressWithSession({ body: { token }, headers: request.headers, asResponse: true });
    if (answer.ok) return seeOther("/dashboard", answer.headers.getSetCookie());
    if (session) return seeOther("/check-email?link=invalid");
  }
  return seeOther(`/verify-email/confirm?token=${encodeURIComponent(token)}`);
}
