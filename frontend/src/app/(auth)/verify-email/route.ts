// GET /verify-email?token=… — the link in the verification email. A good link verifies the
// address through Better Auth, signs the user in and lands on the dashboard (a confirmed change of
// address: on the profile); an expired, used or forged one lands on /check-email, which says so and
// offers a new link.
import { decodeJwt } from "jose";
import { env } from "@/env";
import { auth, pool } from "@/server/auth";
import { verificationLinkProblem } from "@/server/mail/verification-link";

const seeOther = (location: string, headers = new Headers()) => {
  headers.set("location", location);
  headers.set("cache-control", "no-store");
  return new Response(null, { status: 303, headers });
};

export async function GET(request: Request): Promise<Response> {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const problem = token ? await verificationLinkProblem(token, env.BETTER_AUTH_SECRET, pool) : "invalid";
  if (problem) return seeOther(`/check-email?link=${problem}`);
  // A new address confirmed goes back to the profile, which shows it; a first verification to the tasks.
  const callbackURL = decodeJwt(token).updateTo === undefined ? "/dashboard" : "/settings/profile";
  const answer = await auth.api.verifyEmail({
    query: { token, callbackURL },
    headers: request.headers,
    asResponse: true,
  });
  const headers = new Headers();
  for (const cookie of answer.headers.getSetCookie()) headers.append("set-cookie", cookie);
  // Better Auth redirects to the callback, with ?error= when the link failed after all (a race).
  const location = answer.headers.get("location") ?? callbackURL;
  return seeOther(location.includes("error=") ? "/check-email?link=invalid" : location, headers);
}
