// Duplicate sign-up race: 50 concurrent sign-ups with the same email → exactly one user, the rest clean
// refusals (4xx with a JSON body), zero 5xx. Each request carries its own client address so Better
// Auth's per-IP rate limit does not turn the race into a queue of 429s.
import { appDb, clientIp, signUp, uniqueEmail } from "@authbridge/harness";
import type { FaultWorld } from "./world.ts";
import { histogram, type Report } from "./report.ts";

export async function signupRace(w: FaultWorld, report: Report, n = 50): Promise<void> {
  const check = report.scenario(`duplicate sign-up race: ${n} concurrent sign-ups, one email`);
  const email = uniqueEmail("race");
  const t0 = performance.now();
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => signUp(w.frontendUrl, email, clientIp(50_000 + i), undefined, `Racer ${i}`)));
  const ms = performance.now() - t0;
  const statuses = answers.map((a) => a.answer.status);
  const db = await appDb(w.env);
  let users = -1;
  let accounts = -1;
  try {
    users = Number((await db.query('SELECT count(*) AS n FROM "user" WHERE email = lower($1)', [email])).rows[0].n);
    accounts = Number(
      (await db.query('SELECT count(*) AS n FROM account a JOIN "user" u ON u.id = a.user_id WHERE lower(u.email) = lower($1)', [email])).rows[0].n,
    );
  } finally {
    await db.end();
  }
  const ok = statuses.filter((s) => s >= 200 && s < 300).length;
  const refusals = answers.filter((a) => a.answer.status >= 400 && a.answer.status < 500);
  const cleanRefusals = refusals.filter((a) => {
    try {
      const body = JSON.parse(a.answer.body) as { message?: unknown };
      return typeof body.message === "string" && !/stack|at \w+ \(|duplicate key|violates/i.test(a.answer.body);
    } catch {
      return false;
    }
  });
  const fivexx = statuses.filter((s) => s >= 500 || s === 0).length;
  check("exactly one user in the database", users === 1, `${users} user(s), ${accounts} credential account(s) (${ms.toFixed(0)} ms for all ${n})`);
  check("exactly one sign-up succeeded", ok === 1, `${ok} × 2xx; statuses ${histogram(statuses)}`);
  check("every other answer is a clean 4xx refusal", cleanRefusals.length === n - 1, `${cleanRefusals.length}/${n - 1} clean JSON 4xx (example: ${refusals[0]?.answer.body.slice(0, 120) ?? "none"})`);
  check("zero 5xx", fivexx === 0, `${fivexx} × 5xx or no answer`);
}
