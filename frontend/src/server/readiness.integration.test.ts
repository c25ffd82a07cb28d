// GET /health's answer (readiness.ts) on the real TLS test database: 200 while it answers, 503
// DATABASE_UNAVAILABLE with Retry-After when it refuses connections or never answers, within the bound.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { startTcpProxy } from "@/test/tcp-proxy";
import { createPool, poolConfigFor } from "./db";
import { readiness } from "./readiness";

if (!process.env.DATABASE_URL) {
  throw new Error("readiness.integration needs DATABASE_URL: run `npm test` from the repo root, or `source .dev/test-env.sh` first.");
}

const env = parseServerEnv(process.env);
const caCert = env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined;
const database = new URL(env.DATABASE_URL);
const pools: ReturnType<typeof createPool>[] = [];
const poolVia = (port: number) => {
  const url = new URL(env.DATABASE_URL);
  url.port = String(port);
  const pool = createPool(poolConfigFor(url.href, caCert));
  pools.push(pool);
  return pool;
};
afterAll(() => Promise.all(pools.map((p) => p.end())));

describe("readiness", () => {
  it("is 200 while the database answers, and names the email verification policy", async () => {
    const res = await readiness(poolVia(Number(database.port)), "optional");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", email_verification: "optional" });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("is 503 DATABASE_UNAVAILABLE with Retry-After when the database refuses connections", async () => {
    const proxy = await startTcpProxy(database.hostname, Number(database.port));
    await proxy.cut();
    const res = await readiness(poolVia(proxy.port), "required");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toMatchObject({ code: "DATABASE_UNAVAILABLE", email_verification: "required" });
  });

  it("answers 503 within its bound when the database never answers", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket)); // accepts, says nothing
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const started = performance.now();
      const res = await readiness(poolVia((silent.address() as net.AddressInfo).port), "optional", 300);
      expect(res.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
