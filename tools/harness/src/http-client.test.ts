// The harness's one HTTP client against real servers on free loopback ports: plain http and the local CA's
// HTTPS, the answer's shape, a network failure as status 0, and what it refuses to reach.
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { send, TlsClient } from "./http-client.ts";
import { ensureDevTls, type TlsFiles } from "./tls.ts";

const echo = (req: http.IncomingMessage, res: http.ServerResponse) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ method: req.method, url: req.url, type: req.headers["content-type"], body })));
};
let plain: http.Server;
let secure: https.Server;
let tls: TlsFiles;
const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;

before(async () => {
  tls = await ensureDevTls(fs.mkdtempSync(path.join(os.tmpdir(), "http-client-tls-")));
  plain = http.createServer(echo);
  secure = https.createServer({ cert: fs.readFileSync(tls.serverCert), key: fs.readFileSync(tls.serverKey) }, echo);
  await Promise.all([plain, secure].map((s) => new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve))));
});

after(async () => {
  for (const s of [plain, secure]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

test("send: a JSON body goes as JSON, the answer comes with its status, headers and time", async () => {
  const a = await send({ method: "POST", url: `http://localhost:${portOf(plain)}/tasks?x=1`, json: { title: "t" } });
  assert.equal(a.status, 201);
  assert.equal(a.headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(a.body), { method: "POST", url: "/tasks?x=1", type: "application/json", body: '{"title":"t"}' });
  assert.ok(a.ms > 0);
});

test("send: nothing listening is status 0 with the error, a host that is not loopback is refused", async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = portOf(closed);
  await new Promise((resolve) => closed.close(resolve));
  const a = await send({ url: `http://127.0.0.1:${port}/` });
  assert.equal(a.status, 0);
  assert.match(a.error ?? "", /ECONNREFUSED/);
  await assert.rejects(send({ url: "http://example.com/" }), /loopback only/);
});

test("TlsClient: https://localhost trusting the local CA, from a loopback address of its own; nothing else", async () => {
  const client = new TlsClient(tls.caCert);
  try {
    const a = await client.send({ url: `https://localhost:${portOf(secure)}/health`, from: "127.0.0.2" });
    assert.equal(a.status, 201);
    assert.equal(JSON.parse(a.body).url, "/health");
    assert.equal(client.resent, 0);
    await assert.rejects(client.send({ url: `http://localhost:${portOf(plain)}/` }), /https:\/\/localhost only/);
  } finally {
    client.close();
  }
});
