// Two backend instances on different ports serve the same users; a token works on both;
// sign-out-everywhere makes it fail on both within 1 s, measured (revocation.ts measures every way a
// session ends, and the same with the listeners killed).
import { backendToken, bearer, clientIp, refusalTimes, revokeSessions, send, signIn, signUp, uniqueEmail } from "@authbridge/harness";
import type { FaultWorld } from "./world.ts";
import type { Report } from "./report.ts";

const REVOCATION_BOUND_MS = 1_000;

export async function twoInstances(w: FaultWorld, report: Report): Promise<void> {
  const check = report.scenario("two backend instances, one token, sign-out everywhere");
  const email = uniqueEmail("two");
  const up = await signUp(w.frontendUrl, email, clientIp(60_001));
  if (up.answer.status !== 200 || !up.cookie) throw new Error(`sign-up answered ${up.answer.status}: ${up.answer.body.slice(0, 160)}`);
  // A second session (another device) whose token must die too.
  const other = await signIn(w.frontendUrl, email, clientIp(60_002));
  if (other.answer.status !== 200 || !other.cookie) throw new Error(`sign-in answered ${other.answer.status}`);
  const token = await backendToken(w.frontendUrl, up.cookie);
  const otherToken = await backendToken(w.frontendUrl, other.cookie);

  const me = await Promise.all([w.backendA, w.backendB].map((b) => send({ url: `${b}/api/me`, headers: bearer(token) })));
  const ids = me.map((a) => (a.status === 200 ? (JSON.parse(a.body) as { id: string }).id : null));
  check("the token works on both instances", me.every((a) => a.status === 200) && ids[0] === ids[1], `A ${me[0].status}, B ${me[1].status}, same user: ${ids[0] === ids[1]}`);
  const created = await send({ method: "POST", url: `${w.backendA}/api/tasks`, headers: bearer(token), json: { title: "made on A" } });
  const id = created.status === 201 ? (JSON.parse(created.body) as { id: string }).id : "missing";
  const readB = await send({ url: `${w.backendB}/api/tasks/${id}`, headers: bearer(token) });
  check("a task written through A is read through B", created.status === 201 && readB.status === 200, `POST A ${created.status}, GET B ${readB.status}`);

  const revoke = await revokeSessions(w.frontendUrl, up.cookie);
  const tRevoked = performance.now();
  if (revoke.status !== 200) throw new Error(`POST /api/auth/revoke-sessions answered ${revoke.status}: ${revoke.body.slice(0, 160)}`);
  // Both instances polled back to back with both old tokens until each refuses them.
  const refusals = (await Promise.all([token, otherToken].map((t) => refusalTimes([w.backendA, w.backendB], t, tRevoked, REVOCATION_BOUND_MS)))).flat();
  const worst = Math.max(...refusals.map((r) => r.lagMs ?? Number.POSITIVE_INFINITY));
  check(
    `revocation takes effect on both instances within ${REVOCATION_BOUND_MS / 1000} s`,
    Number.isFinite(worst),
    Number.isFinite(worst)
      ? `all four (2 tokens × 2 instances) refused 401 TOKEN_REVOKED after at most ${worst.toFixed(1)} ms`
      : `still accepted after ${REVOCATION_BOUND_MS / 1000} s (${refusals.map((r) => r.last).join(", ")})`,
  );
  const again = await signIn(w.frontendUrl, email, clientIp(60_003));
  const fresh = again.cookie ? await backendToken(w.frontendUrl, again.cookie) : "";
  const both = await Promise.all([w.backendA, w.backendB].map((b) => send({ url: `${b}/api/me`, headers: bearer(fresh) })));
  check("a new sign-in works on both instances afterwards", both.every((a) => a.status === 200), `A ${both[0].status}, B ${both[1].status}`);
}
