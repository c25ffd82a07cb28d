// Abuse: (a) sign-in is rate limited per client address, 429 with Retry-After;
// (b) a flood of invalid tokens gets 401s and valid users keep being served.
import { backendToken, bearer, clientIp, fmt, runLoad, send, signUp, uniqueEmail } from "@authbridge/harness";
import { errorCode, histogram, type Report } from "./report.ts";
import type { FaultWorld } from "./world.ts";

/**
 * Attempts from ONE address, each for another unknown email (the per-account lock would engage after 5
 * for one email: docs/security.md "Rate limiting"), so this measures the per-address limit.
 */
export async function signInRateLimit(w: FaultWorld, report: Report, attempts = 40): Promise<void> {
  const check = report.scenario(`sign-in rate limit: ${attempts} wrong-password attempts from one address`);
  const ip = clientIp(80_001);
  const answers = [];
  for (let i = 0; i < attempts; i++) {
    answers.push(
      await send({
        method: "POST",
        url: `${w.frontendUrl}/api/auth/sign-in/email`,
        headers: { origin: w.frontendUrl, "x-forwarded-for": ip },
        json: { email: uniqueEmail("limited"), password: `Wrong-Pass-${i}x` },
      }),
    );
    if (answers.at(-1)!.status === 429 && answers.filter((a) => a.status === 429).length >= 3) break;
  }
  const limited = answers.filter((a) => a.status === 429);
  const firstAt = answers.findIndex((a) => a.status === 429);
  check("the limit engages (429)", limited.length > 0, limited.length ? `first 429 at attempt ${firstAt + 1}; ${histogram(answers.map((a) => a.status))}` : histogram(answers.map((a) => a.status)));
  const withRetryAfter = limited.filter((a) => a.headers["retry-after"] !== undefined);
  check(
    "every 429 carries Retry-After",
    limited.length > 0 && withRetryAfter.length === limited.length,
    `${withRetryAfter.length}/${limited.length}; headers seen: ${limited[0] ? Object.keys(limited[0].headers).filter((h) => /retry/i.test(h)).map((h) => `${h}: ${limited[0].headers[h]}`).join(", ") || "none" : "n/a"}`,
  );
  const other = await send({
    method: "POST",
    url: `${w.frontendUrl}/api/auth/sign-in/email`,
    headers: { origin: w.frontendUrl, "x-forwarded-for": clientIp(80_002) },
    json: { email: uniqueEmail("limited"), password: "Wrong-Pass-0x" },
  });
  check("another address is not affected", other.status !== 429, `${other.status}`);
}

const FLOOD_P99_BOUND_MS = 1_000;

export async function invalidTokenFlood(w: FaultWorld, report: Report, ms = 3_000): Promise<void> {
  const check = report.scenario(`invalid-token flood at one backend instance (${ms / 1000} s, 16 attackers, 2 users)`);
  const up = await signUp(w.frontendUrl, uniqueEmail("flooded"), clientIp(80_101));
  if (up.answer.status !== 200 || !up.cookie) throw new Error(`sign-up answered ${up.answer.status}`);
  const token = await backendToken(w.frontendUrl, up.cookie);
  const [head, payload] = token.split(".");
  const forged = `${head}.${payload}.${Buffer.alloc(32, 7).toString("base64url")}`;
  const valid = { name: "valid list", concurrency: 2, durationMs: ms, maxRequests: 10_000, request: () => ({ url: `${w.backendA}/api/tasks`, headers: bearer(token) }) };
  const alone = await runLoad(valid);
  const codes: Record<string, number> = {};
  const [flooded, flood] = await Promise.all([
    runLoad(valid),
    runLoad({
      name: "flood",
      concurrency: 16,
      durationMs: ms,
      maxRequests: 50_000,
      request: () => ({ url: `${w.backendA}/api/tasks`, headers: bearer(forged) }),
      ok: (s) => s === 401,
      onAnswer: (_, a) => {
        const c = `${a.status} ${errorCode(a.body)}`;
        codes[c] = (codes[c] ?? 0) + 1;
      },
    }),
  ]);
  check("every forged token is refused 401 INVALID_SIGNATURE", flood.errors === 0 && Object.keys(codes).every((c) => c === "401 INVALID_SIGNATURE"), `${flood.requests} forged requests at ${fmt(flood.rps, 0)}/s: ${Object.entries(codes).map(([c, n]) => `${c}×${n}`).join(" ")}`);
  check("valid users are all served during the flood", flooded.errors === 0 && flooded.requests > 0, `${flooded.requests} valid requests, ${flooded.errors} errors`);
  // A saturated server queues every request, so the flood must cost valid users something on 2 shared
  // CPUs; the stated bound is that they stay well inside the product's 3 s authentication promise.
  const ratio = flooded.p50 / alone.p50;
  check(
    `valid users' p99 stays under ${FLOOD_P99_BOUND_MS} ms during the flood`,
    flooded.p99 <= FLOOD_P99_BOUND_MS,
    `p50 ${fmt(alone.p50)} ms alone → ${fmt(flooded.p50)} ms under flood (×${fmt(ratio, 2)}), p99 ${fmt(alone.p99)} → ${fmt(flooded.p99)} ms`,
  );
}
