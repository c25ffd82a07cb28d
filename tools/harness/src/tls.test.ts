import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ensureDevTls } from "./tls.ts";

test("the dev CA signs a server certificate for localhost, 127.0.0.1 and ::1", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-tls-"));
  const files = await ensureDevTls(dir);
  const ca = new X509Certificate(fs.readFileSync(files.caCert));
  const server = new X509Certificate(fs.readFileSync(files.serverCert));
  assert.equal(ca.ca, true);
  assert.equal(server.ca, false);
  assert.ok(server.verify(ca.publicKey), "server certificate is signed by the CA");
  assert.ok(server.checkHost("localhost"));
  assert.ok(server.checkIP("127.0.0.1"));
  assert.equal(fs.statSync(files.serverKey).mode & 0o077, 0, "private key is private");
});

test("existing certificates are reused, not regenerated", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-tls-"));
  const first = fs.readFileSync((await ensureDevTls(dir)).serverCert, "utf8");
  const second = fs.readFileSync((await ensureDevTls(dir)).serverCert, "utf8");
  assert.equal(first, second);
});
