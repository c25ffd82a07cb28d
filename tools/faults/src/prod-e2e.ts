// Pooler mode: the whole browser suite (e2e/) against the production topology with PgBouncer in
// transaction mode between every instance and PostgreSQL, as through Neon's -pooler URL, over HTTPS
// through the proxy. Chromium trusts the local CA through a throwaway NSS profile (HOME), the Node side
// of the tests through NODE_EXTRA_CA_CERTS. Mail as in `npm test`: verification on, a catcher of its own.
// Every browser connects from 127.0.0.1, which the proxy passes on as the client address, so the
// per-address sign-in and sign-up limits are raised for this run (the throttle has its own scenarios).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureCertutil, ensureChromium, ensureDevTls, type MailCatcher, playwrightCounts, ROOT, startMailCatcher } from "@authbridge/harness";
import type { Report } from "./report.ts";
import { type ProdWorldOptions, startProdWorld } from "./prod-world.ts";

/**
 * Not run here, each for its own reason (docs/operations.md "Scenarios that prove it"): the chunked-body
 * test drives a raw plain-HTTP socket, which cannot speak to an HTTPS origin; and through Caddy the
 * frontend's early 413 for a 50 MB body reaches the client without its JSON body (the frontend closes
 * the connection before the upload ends), a finding for the proxy's own body limit.
 */
const NOT_THROUGH_THE_PROXY = ["a chunked body is refused once it passes the cap", "request bodies on /api/auth are capped"];

/** The catcher's own ports (dev uses 1025/1080, npm test 1125/1180). */
const E2E_MAIL_PORTS = { smtp: 1225, web: 1280 } as const;

/** Runs a command to its end (or `timeoutMs`, then SIGKILL), collecting stdout and stderr. */
function runCollecting(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }, timeoutMs: number): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, output: Buffer.concat(chunks).toString("utf8") });
    });
  });
}

/** A HOME whose NSS database trusts the local CA: Chromium on Linux reads $HOME/.pki/nssdb. */
function browserHomeTrusting(caCert: string): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-e2e-home-"));
  const db = `sql:${path.join(home, ".pki", "nssdb")}`;
  fs.mkdirSync(path.join(home, ".pki", "nssdb"), { recursive: true });
  const certutil = ensureCertutil();
  for (const args of [["-N", "--empty-password", "-d", db], ["-A", "-d", db, "-n", "authbridge local CA", "-t", "C,,", "-i", caCert]]) {
    const res = spawnSync(certutil, args, { encoding: "utf8", timeout: 30_000 });
    if (res.status !== 0) throw new Error(`certutil ${args[0]} failed: ${res.stderr.trim()}`);
  }
  return home;
}

export async function e2eThroughPooler(report: Report, log = false): Promise<void> {
  const check = report.scenario("pooler mode: the browser suite through the proxy, PgBouncer in transaction mode");
  const chromium = ensureChromium();
  const tls = await ensureDevTls();
  let mail: MailCatcher | null = null;
  const home = browserHomeTrusting(tls.caCert);
  try {
    mail = await startMailCatcher("prod-e2e", E2E_MAIL_PORTS, { quiet: !log });
    const opts: ProdWorldOptions = {
      pooler: true,
      log,
      extraEnv: {
        REQUIRE_EMAIL_VERIFICATION: "true",
        SMTP_URL: mail.smtpUrl,
        AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE: "10000",
        AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE: "10000",
      },
    };
    const w = await startProdWorld(opts);
    try {
      const t0 = performance.now();
      // Asynchronously: the services' output flows through this process, which must keep reading it.
      const invert = NOT_THROUGH_THE_PROXY.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
      const res = await runCollecting("npx", ["playwright", "test", "--grep-invert", invert], {
        cwd: path.join(ROOT, "e2e"),
        env: {
          ...process.env,
          HOME: home,
          NODE_EXTRA_CA_CERTS: tls.caCert,
          CHROMIUM_PATH: chromium,
          E2E_FRONTEND_URL: w.topology.publicUrl,
          E2E_BACKEND_URL: `${w.topology.publicUrl}/backend`,
          MAIL_CATCHER_URL: `http://127.0.0.1:${E2E_MAIL_PORTS.web}`,
        },
      }, 900_000);
      const output = res.output;
      if (log || res.status !== 0) console.log(output.split("\n").slice(-80).join("\n"));
      check(
        "every browser test passes against the pooled topology",
        res.status === 0,
        `${playwrightCounts(output) ?? "no counts"} (${NOT_THROUGH_THE_PROXY.length} not run here: ${NOT_THROUGH_THE_PROXY.join("; ")}) in ${((performance.now() - t0) / 1000).toFixed(0)} s; DATABASE_URL ${new URL(w.topology.runtimeDatabaseUrl).host} (PgBouncer), migrations on ${new URL(w.topology.directDatabaseUrl).host}`,
      );
    } finally {
      await w.stop();
    }
  } finally {
    await mail?.service?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
}
