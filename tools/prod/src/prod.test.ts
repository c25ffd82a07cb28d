// The production proxy (tools/prod/src/caddy.ts) for real: Debian's Caddy in front of four small
// upstreams that echo what they received. HTTPS on the local CA with HSTS, the trusted address
// header and the request id replaced, balancing, the /backend/ prefix, draining and a dead upstream.
// Also the launcher's pure parts: the pooled URL, the flags of `npm run prod`, doctor's judgements.
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { Caddy, HSTS } from "./caddy.ts";
import { parseProdArgs } from "./command.ts";
import { backendUrlCase, databasePairCheck } from "./doctor.ts";
import { serviceSpec } from "./manifest.ts";
import { pooledUrl } from "./pgbouncer.ts";
import { ensureCaddy, ensureDevTls } from "@authbridge/harness";

const PORTS = { public: 8491, internal: 8492, admin: 2491, frontends: [3491, 3492], backends: [8493, 8494] };

interface Seen {
  upstream: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

const upstreams: http.Server[] = [];
let caddy: Caddy;
let ca: string;

function echo(name: string, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ upstream: name, path: req.url ?? "", headers: req.headers } satisfies Seen));
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; seen: Seen }> {
  const u = new URL(url);
  const lib = u.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { headers, ca, timeout: 5_000, agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, seen: JSON.parse(body || "{}") as Seen }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

before(async () => {
  ensureCaddy();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-proxy-"));
  const tls = await ensureDevTls(path.join(dir, "tls"));
  ca = fs.readFileSync(tls.caCert, "utf8");
  for (const [i, p] of PORTS.frontends.entries()) upstreams.push(await echo(`frontend-${i + 1}`, p));
  for (const [i, p] of PORTS.backends.entries()) upstreams.push(await echo(`backend-${i + 1}`, p));
  caddy = new Caddy({
    dir,
    publicPort: PORTS.public,
    internalPort: PORTS.internal,
    adminPort: PORTS.admin,
    tls,
    frontends: PORTS.frontends.map((port) => ({ port, health: "/health/live" })),
    backends: PORTS.backends.map((port) => ({ port, health: "/health/live" })),
  });
  await caddy.start({ quiet: true });
});

after(async () => {
  await caddy?.stop();
  for (const s of upstreams) s.closeAllConnections(), s.close();
});

test("HTTPS on the local CA with HSTS; the client's X-Real-IP and X-Request-Id are replaced; both frontends serve", async () => {
  const answers = [];
  for (let i = 0; i < 6; i++) {
    answers.push(await get(`${caddy.publicUrl}/sign-in`, { "x-real-ip": "203.0.113.9", "x-request-id": "forged", "x-forwarded-for": "203.0.113.9" }));
  }
  for (const a of answers) {
    assert.equal(a.status, 200);
    assert.equal(a.headers["strict-transport-security"], HSTS);
    assert.equal(a.seen.headers["x-real-ip"], "127.0.0.1");
    assert.equal(a.seen.headers["x-forwarded-for"], "127.0.0.1", "a client-sent X-Forwarded-For is not passed on");
    assert.match(String(a.seen.headers["x-request-id"]), /^[0-9a-f-]{36}$/);
    assert.equal(a.headers["x-request-id"], a.seen.headers["x-request-id"], "the client sees the id the upstream logged");
  }
  assert.deepEqual(new Set(answers.map((a) => a.seen.upstream)), new Set(["frontend-1", "frontend-2"]));
});

test("the backends answer under /backend/ with the prefix stripped", async () => {
  const a = await get(`${caddy.publicUrl}/backend/api/me`);
  assert.equal(a.status, 200);
  assert.match(a.seen.upstream, /^backend-/);
  assert.equal(a.seen.path, "/api/me");
});

test("the internal listener keeps the frontend's request id and makes one when it is missing", async () => {
  const kept = await get(`${caddy.internalUrl}/api/tasks`, { "x-request-id": "req-from-frontend" });
  assert.equal(kept.seen.headers["x-request-id"], "req-from-frontend");
  assert.match(kept.seen.upstream, /^backend-/);
  const made = await get(`${caddy.internalUrl}/api/tasks`);
  assert.match(String(made.seen.headers["x-request-id"]), /^[0-9a-f-]{36}$/);
});

test("a drained frontend gets nothing; a dead one is routed around without an error", async () => {
  caddy.reload(new Set([PORTS.frontends[0]]));
  const drained = await Promise.all(Array.from({ length: 6 }, () => get(`${caddy.publicUrl}/`)));
  assert.deepEqual([...new Set(drained.map((a) => `${a.status} ${a.seen.upstream}`))], ["200 frontend-2"]);
  caddy.reload();
  upstreams[0].closeAllConnections();
  await new Promise((r) => upstreams[0].close(r));
  const routed = await Promise.all(Array.from({ length: 6 }, () => get(`${caddy.publicUrl}/`)));
  assert.deepEqual([...new Set(routed.map((a) => `${a.status} ${a.seen.upstream}`))], ["200 frontend-2"]);
});

test("the pooled URL is the direct one on PgBouncer's port, without channel binding", () => {
  const direct = "postgresql://app:pw@localhost:5433/app?sslmode=require&channel_binding=require";
  assert.equal(pooledUrl(direct, 6433), "postgresql://app:pw@localhost:6433/app?sslmode=require");
});

test("npm run prod flags", () => {
  assert.deepEqual(parseProdArgs([]), { pooler: false, workers: 1, build: true, localIdp: false });
  assert.deepEqual(parseProdArgs(["--pooler", "--workers", "2", "--skip-build", "--local-idp"]), { pooler: true, workers: 2, build: false, localIdp: true });
  assert.throws(() => parseProdArgs(["--workers", "0"]), /1 to 16/);
  assert.throws(() => parseProdArgs(["--nope"]), /unknown option/);
});

test("the launcher starts what deploy/services.json describes", () => {
  const backend = serviceSpec("backend");
  const frontend = serviceSpec("frontend");
  assert.ok(backend.command.length > 0 && frontend.command.length > 0);
  assert.equal(backend.health.live, "/health/live");
  assert.ok(frontend.required.includes("BACKEND_URL"));
});

test("doctor: which rule lets the frontends call BACKEND_URL", () => {
  assert.equal(backendUrlCase("https://api.example.com", "").ok, true);
  assert.match(backendUrlCase("http://127.0.0.1:8480", "").detail, /loopback/);
  assert.equal(backendUrlCase("http://backend.internal:8000", "backend.internal").ok, true);
  const refused = backendUrlCase("http://api.example.com", "backend.internal");
  assert.equal(refused.ok, false);
  assert.match(refused.detail, /Fix:/);
});

test("doctor: the pooled and direct database URLs", () => {
  const direct = "postgresql://u:secret@ep-x.eu-central-1.aws.neon.tech/db?sslmode=require";
  const pooled = "postgresql://u:secret@ep-x-pooler.eu-central-1.aws.neon.tech/db?sslmode=require";
  assert.equal(databasePairCheck(direct, undefined, undefined).outcome, "pass");
  assert.equal(databasePairCheck(pooled, direct, "true").outcome, "pass");
  assert.equal(databasePairCheck(pooled, direct, "false").outcome, "warn");
  assert.equal(databasePairCheck(pooled, undefined, "true").outcome, "fail", "a pooled URL alone: nowhere to migrate or LISTEN");
  assert.equal(databasePairCheck(direct, pooled, "true").outcome, "fail", "the direct URL must not be the pooler");
  for (const outcome of [databasePairCheck(pooled, direct, "true"), databasePairCheck(direct, pooled, "true")]) {
    assert.doesNotMatch(outcome.detail, /secret/, "never a password");
  }
});
