// The mail catcher's inbox guard (mail-catcher-server.ts), against the real catcher on free loopback ports:
// another web origin can neither read nor delete mail, while non-browser clients (the test suites' fetch)
// and the inbox's own page keep working.
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import { after, before, test } from "node:test";
import { type MailCatcher, startMailCatcher } from "./mail-catcher.ts";
import { freePort } from "./ports.ts";
import { inbox as readInbox, waitForMail } from "@authbridge/mail-client";
import { DEV_DIR, ROOT } from "./paths.ts";
import { startService } from "./proc.ts";

const EVIL = "http://evil.example";
const TOKEN = "reset-token-that-must-not-leak";
let ports: { smtp: number; web: number };
let mail: MailCatcher;

/** Delivers one message over SMTP, speaking the protocol with node:net (each reply checked, 10 s at most). */
async function sendMail(smtpPort: number, to: string, subject: string, body: string): Promise<void> {
  const socket = net.connect(smtpPort, "127.0.0.1");
  socket.setTimeout(10_000, () => socket.destroy(new Error("SMTP timed out")));
  const replies = readline.createInterface({ input: socket })[Symbol.asyncIterator]();
  const expect = async (code: string) => {
    for (;;) {
      const { value, done } = await replies.next();
      if (done) throw new Error(`SMTP closed, expected ${code}`);
      if (value.startsWith(`${code} `)) return;
      if (!value.startsWith(`${code}-`)) throw new Error(`SMTP: expected ${code}, got ${value}`);
    }
  };
  const say = async (line: string, code: string) => {
    socket.write(`${line}\r\n`);
    await expect(code);
  };
  try {
    await expect("220");
    await say("EHLO test.local", "250");
    await say("MAIL FROM:<no-reply@localhost>", "250");
    await say(`RCPT TO:<${to}>`, "250");
    await say("DATA", "354");
    await say(`From: no-reply@localhost\r\nTo: ${to}\r\nSubject: ${subject}\r\n\r\n${body}\r\n.`, "250");
    await say("QUIT", "221");
  } finally {
    socket.destroy();
  }
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with exactly these headers (fetch cannot set Host); the Host defaults to 127.0.0.1:port. */
function request(method: string, urlPath: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: ports.web, method, path: urlPath, headers, timeout: 10_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${urlPath} timed out`))).on("error", reject);
    req.end();
  });
}

/** A WebSocket handshake to socket.io: 101 when taken, otherwise the status of the answer. */
function upgrade(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port: ports.web,
      path: "/socket.io/?EIO=4&transport=websocket",
      headers: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", ...headers },
      timeout: 10_000,
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode!);
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("timeout", () => req.destroy(new Error("upgrade timed out"))).on("error", reject);
    req.end();
  });
}

/** The inbox as a non-browser client reads it: the suites' mail client (Node's fetch, no Origin). */
const inbox = () => readInbox(`http://127.0.0.1:${ports.web}`);

before(async () => {
  ports = { smtp: await freePort(), web: await freePort() };
  mail = await startMailCatcher("guard-test", ports, { quiet: true });
  assert.ok(mail.service, "a catcher of its own on free ports");
  await sendMail(ports.smtp, "dev@example.com", "Reset your password", `Open http://localhost:3000/reset-password?token=${TOKEN}`);
  // maildev stores the message after answering the SMTP client: wait for it, bounded.
  await waitForMail("dev@example.com", /Reset your password/, { timeoutMs: 10_000, catcherUrl: `http://127.0.0.1:${ports.web}` });
});

after(async () => {
  await mail?.service?.stop();
  fs.rmSync(path.join(DEV_DIR, "mail", "guard-test"), { recursive: true, force: true });
});

test("a non-browser client (fetch, no Origin) reads the mail, as the test suites do", async () => {
  const mails = await inbox();
  assert.equal(mails.length, 1);
  assert.equal(mails[0]!.subject, "Reset your password");
  assert.match(mails[0]!.text, new RegExp(TOKEN));
});

test("another origin gets 403 with no CORS grant and none of the mail", async () => {
  for (const p of ["/api/email", `/api/email/${(await inbox())[0]!.id}`, "/api/email/summary"]) {
    const res = await request("GET", p, { origin: EVIL });
    assert.equal(res.status, 403, p);
    assert.equal(res.headers["access-control-allow-origin"], undefined, p);
    assert.equal(res.headers["access-control-allow-credentials"], undefined, p);
    assert.doesNotMatch(res.body, /Reset your password|reset-token/, p);
  }
  // Any other origin, also on this machine or opaque: another localhost port, a sandboxed frame.
  for (const origin of ["http://localhost:3000", `https://127.0.0.1:${ports.web}`, "null"]) {
    assert.equal((await request("GET", "/api/email", { origin })).status, 403, origin);
  }
});

test("another origin's CORS preflight is refused", async () => {
  const res = await request("OPTIONS", "/api/email/all", { origin: EVIL, "access-control-request-method": "DELETE" });
  assert.equal(res.status, 403);
  for (const name of Object.keys(res.headers)) assert.doesNotMatch(name, /^access-control-/);
});

test("another origin deletes nothing", async () => {
  const [first] = await inbox();
  assert.equal((await request("DELETE", `/api/email/${first!.id}`, { origin: EVIL })).status, 403);
  assert.equal((await request("DELETE", "/api/email/all", { origin: EVIL })).status, 403);
  assert.deepEqual((await inbox()).map((m) => m.id), [first!.id]);
});

test("a page on another name for this machine (DNS rebinding) is refused by its Host", async () => {
  const res = await request("GET", "/api/email", { host: `rebind.example:${ports.web}` });
  assert.equal(res.status, 403);
  assert.equal((await request("GET", "/api/email", { host: `rebind.example:${ports.web}`, origin: `http://rebind.example:${ports.web}` })).status, 403);
  assert.equal((await request("GET", "/api/email", { host: `127.0.0.1:${ports.web + 1}` })).status, 403, "another port is another origin");
});

test("requests from other sites without Origin (images, frames, links) are refused", async () => {
  const crossSite = await request("GET", "/", { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", accept: "text/html" });
  assert.equal(crossSite.status, 403);
  const sameSiteFrame = await request("GET", "/", { "sec-fetch-site": "same-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "iframe", accept: "text/html" });
  assert.equal(sameSiteFrame.status, 403);
  // A link from the app (http://localhost:3000 is the same site) opens the inbox in a tab.
  const sameSiteLink = await request("GET", "/", { host: `localhost:${ports.web}`, "sec-fetch-site": "same-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", accept: "text/html" });
  assert.equal(sameSiteLink.status, 200);
  assert.match(sameSiteLink.body, /<title>MailDev<\/title>/);
});

test("the inbox's own page reads the mail, on each name of this machine", async () => {
  for (const host of [`localhost:${ports.web}`, `127.0.0.1:${ports.web}`, `[::1]:${ports.web}`]) {
    const page = await request("GET", "/", { host, "sec-fetch-site": "none", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", accept: "text/html" });
    assert.equal(page.status, 200, host);
    const res = await request("GET", "/api/email", { host, origin: `http://${host}`, "sec-fetch-site": "same-origin" });
    assert.equal(res.status, 200, host);
    assert.match(res.body, /Reset your password/, host);
  }
});

test("socket.io's WebSocket is taken from the inbox's own page only", async () => {
  assert.equal(await upgrade({ origin: EVIL }), 403);
  assert.equal(await upgrade({ origin: "http://localhost:3000" }), 403);
  assert.equal(await upgrade({ host: `localhost:${ports.web}`, origin: `http://localhost:${ports.web}` }), 101);
  assert.equal(await upgrade({}), 101, "a non-browser client");
});

test("the inbox's own page deletes mail", async () => {
  const [first] = await inbox();
  const res = await request("DELETE", `/api/email/${first!.id}`, { origin: `http://127.0.0.1:${ports.web}` });
  assert.equal(res.status, 200);
  assert.deepEqual(await inbox(), []);
});

test("a catcher already running without the guard is reused with a warning", async (t) => {
  // maildev's own command, as a developer might have started it by hand.
  const other = { smtp: await freePort(), web: await freePort() };
  const bin = path.join(ROOT, "node_modules", "maildev", "dist", "bin", "maildev.js");
  const plain = startService("plain-maildev", process.execPath, [bin, "--smtp", String(other.smtp), "--web", String(other.web), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--silent"], { quiet: true });
  try {
    const deadline = Date.now() + 30_000;
    while (!(await fetch(`http://127.0.0.1:${other.web}/api/healthz`).then((r) => r.ok, () => false))) {
      assert.ok(Date.now() < deadline, "plain maildev answered within 30 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    const warn = t.mock.method(console, "warn", () => undefined);
    const reused = await startMailCatcher("guard-test-reuse", other, { quiet: true });
    assert.equal(reused.service, null);
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0]!.arguments[0]), new RegExp(`:${other.web} answers any web origin`));
    // Ours is reused without one.
    warn.mock.resetCalls();
    assert.equal((await startMailCatcher("guard-test", ports, { quiet: true })).service, null);
    assert.equal(warn.mock.callCount(), 0);
  } finally {
    await plain.stop();
  }
});
