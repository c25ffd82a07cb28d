// Two frontend instances (production builds) on one database, behind one trusted address header: the
// throttle's limits are counted in PostgreSQL, so both instances together allow each limit ONCE, and an
// account locked through one is locked on the other (docs/security.md "Rate limiting").
import { assertPortsFree, clientIp, type HttpAnswer, PASSWORD, send, signUp, startFrontend, uniqueEmail, waitForHttp } from "@authbridge/harness";
import { histogram, type Report } from "./report.ts";
import type { FaultWorld } from "./world.ts";

/** The second frontend instance's port (the world's first is 3300). */
const SECOND_FRONTEND_PORT = 3301;
/** The defaults the world runs with (frontend/src/config/env-schema.ts). */
const SIGN_IN_PER_ADDRESS = 10;
const LOCK_AFTER_FAILURES = 5;

export async function sharedLimits(w: FaultWorld, report: Report): Promise<void> {
  const check = report.scenario("two frontend instances, one set of limits (trusted X-Forwarded-For)");
  await assertPortsFree([SECOND_FRONTEND_PORT]);
  // Same BETTER_AUTH_URL as the first: two instances behind one public address, as behind a load balancer.
  const second = startFrontend(w.env, SECOND_FRONTEND_PORT, { quiet: true });
  try {
    const instances = [w.frontendUrl, `http://localhost:${SECOND_FRONTEND_PORT}`];
    await waitForHttp(`${instances[1]}/sign-in`, { timeoutMs: 60_000, service: second });
    const signIn = (i: number, email: string, password: string, ip: string): Promise<HttpAnswer> =>
      send({
        method: "POST",
        url: `${instances[i % 2]}/api/auth/sign-in/email`,
        headers: { origin: w.frontendUrl, "x-forwarded-for": ip },
        json: { email, password },
      });

    // 30 concurrent sign-ins from ONE address, alternating between the instances, each for an unknown email.
    const attempts = 3 * SIGN_IN_PER_ADDRESS;
    const ip = clientIp(90_001);
    const answers = await Promise.all(Array.from({ length: attempts }, (_, i) => signIn(i, uniqueEmail("shared"), `Wrong-Pass-${i}x`, ip)));
    const through = answers.filter((a) => a.status === 401).length;
    const limited = answers.filter((a) => a.status === 429);
    check(
      `one address gets exactly ${SIGN_IN_PER_ADDRESS} sign-ins per minute across both instances`,
      through === SIGN_IN_PER_ADDRESS && limited.length === attempts - SIGN_IN_PER_ADDRESS,
      `${attempts} concurrent, alternating: ${histogram(answers.map((a) => a.status))}`,
    );
    check(
      "every 429 carries Retry-After",
      limited.length > 0 && limited.every((a) => Number(a.headers["retry-after"]) >= 1),
      `Retry-After ${[...new Set(limited.map((a) => a.headers["retry-after"]))].join(", ") || "none"}`,
    );

    // One account, wrong passwords alternating between the instances, each from a fresh address.
    const email = uniqueEmail("locked");
    const up = await signUp(instances[0], email, clientIp(90_002));
    if (up.answer.status !== 200) throw new Error(`sign-up answered ${up.answer.status}: ${up.answer.body.slice(0, 160)}`);
    const failures: number[] = [];
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) failures.push((await signIn(i, email, `Wrong-Pass-${i}x`, clientIp(90_100 + i))).status);
    // The right password, on each instance, from yet other addresses: both refuse while the lock holds.
    const right = [await signIn(0, email, PASSWORD, clientIp(90_200)), await signIn(1, email, PASSWORD, clientIp(90_201))];
    check(
      `the account locks after ${LOCK_AFTER_FAILURES} failures spread over both instances, on both`,
      failures.every((s) => s === 401) && right.every((a) => a.status === 429),
      `failures ${histogram(failures)}; then the right password: A ${right[0].status} (Retry-After ${right[0].headers["retry-after"] ?? "none"}), B ${right[1].status} (Retry-After ${right[1].headers["retry-after"] ?? "none"})`,
    );
  } finally {
    await second.stop();
  }
}
