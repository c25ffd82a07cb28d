// The throttle behind the real proxy: two frontend instances share one limit per client address,
// and the address is the one the proxy saw. Headers a client sends to pick another bucket
// (X-Real-IP, X-Forwarded-For) are replaced by the proxy, so they change nothing.
import { uniqueEmail } from "@authbridge/harness";
import { histogram, type Report } from "./report.ts";
import { freshAddress } from "./prod-load.ts";
import type { ProdWorld } from "./prod-world.ts";

/** The default AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE (frontend/src/config/env-schema.ts). */
const SIGN_IN_PER_ADDRESS = 10;

export async function limitsThroughProxy(w: ProdWorld, report: Report): Promise<void> {
  const check = report.scenario("sign-in limit through the proxy, two frontend instances, forged address headers");
  const from = freshAddress();
  const attempts = 3 * SIGN_IN_PER_ADDRESS;
  const answers = await Promise.all(
    Array.from({ length: attempts }, (_, i) => {
      const forged = `198.51.100.${i + 1}`;
      return w.client.send({
        method: "POST",
        url: `${w.topology.publicUrl}/api/auth/sign-in/email`,
        headers: { origin: w.topology.publicUrl, "x-real-ip": forged, "x-forwarded-for": forged },
        json: { email: uniqueEmail("limit"), password: `Wrong-Pass-${i}x` },
        from,
      });
    }),
  );
  const through = answers.filter((a) => a.status === 401).length;
  const limited = answers.filter((a) => a.status === 429).length;
  check(
    `one client address gets exactly ${SIGN_IN_PER_ADDRESS} sign-ins across both instances, whatever address headers it sends`,
    through === SIGN_IN_PER_ADDRESS && limited === attempts - SIGN_IN_PER_ADDRESS,
    `${attempts} concurrent from ${from}, each with another forged X-Real-IP/X-Forwarded-For: ${histogram(answers.map((a) => a.status))}`,
  );
  const other = await w.client.send({
    method: "POST",
    url: `${w.topology.publicUrl}/api/auth/sign-in/email`,
    headers: { origin: w.topology.publicUrl },
    json: { email: uniqueEmail("limit"), password: "Wrong-Pass-0x" },
    from: freshAddress(),
  });
  check("another client address is not affected", other.status === 401, `next address: ${other.status}`);
}
