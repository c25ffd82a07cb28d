import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parse } from "dotenv";
import { ensureEnvFile, isLocalDatabase, PLACEHOLDER_SECRET } from "./env-file.ts";
import { ENV_EXAMPLE } from "./paths.ts";

function tmpEnv() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-env-"));
  return path.join(dir, ".env");
}

test("the first run creates .env with a fresh 32-byte secret and a local database password", () => {
  const envFile = tmpEnv();
  assert.equal(ensureEnvFile(envFile, ENV_EXAMPLE), true);
  const env = parse(fs.readFileSync(envFile));
  assert.notEqual(env.BETTER_AUTH_SECRET, PLACEHOLDER_SECRET);
  assert.equal(Buffer.from(env.BETTER_AUTH_SECRET, "base64url").length, 32);
  assert.doesNotMatch(env.DATABASE_URL, /change-me/);
  assert.match(env.DATABASE_URL, /\?sslmode=require&channel_binding=require$/);
  assert.equal(fs.statSync(envFile).mode & 0o077, 0, ".env must not be readable by others");
});

test("two first runs never produce the same secret", () => {
  const [a, b] = [tmpEnv(), tmpEnv()];
  ensureEnvFile(a, ENV_EXAMPLE);
  ensureEnvFile(b, ENV_EXAMPLE);
  assert.notEqual(parse(fs.readFileSync(a)).BETTER_AUTH_SECRET, parse(fs.readFileSync(b)).BETTER_AUTH_SECRET);
});

test("an existing .env is never overwritten", () => {
  const envFile = tmpEnv();
  fs.writeFileSync(envFile, "BETTER_AUTH_SECRET=mine\n");
  assert.equal(ensureEnvFile(envFile, ENV_EXAMPLE), false);
  assert.equal(fs.readFileSync(envFile, "utf8"), "BETTER_AUTH_SECRET=mine\n");
});

test(".env.example documents every variable both services read", () => {
  const example = parse(fs.readFileSync(ENV_EXAMPLE));
  for (const key of [
    "BETTER_AUTH_SECRET", "DATABASE_URL", "DATABASE_CA_CERT", "BETTER_AUTH_URL", "BACKEND_URL",
    "BACKEND_JWT_ISSUER", "BACKEND_JWT_AUDIENCE", "BACKEND_JWT_LIFETIME_SECONDS", "PASSWORD_POLICY",
    "AUTH_RATE_LIMIT_SIGN_IN_PER_MINUTE", "AUTH_RATE_LIMIT_SIGN_UP_PER_MINUTE", "AUTH_TRUSTED_IP_HEADER",
    "AUTH_RATE_LIMIT_SIGN_UP_PER_EMAIL_PER_HOUR", "AUTH_RATE_LIMIT_PER_USER_PER_MINUTE",
    "AUTH_LOCK_AFTER_FAILURES", "AUTH_LOCK_SECONDS", "AUTH_LOCK_MAX_SECONDS",
  ]) assert.ok(key in example, `${key} missing from .env.example`);
});

test("only a URL naming the local server's port counts as the local database", () => {
  assert.equal(isLocalDatabase("postgresql://a:b@localhost:5433/x?sslmode=require"), true);
  assert.equal(isLocalDatabase("postgresql://a:b@127.0.0.1:5433/x?sslmode=require"), true);
  assert.equal(isLocalDatabase("postgresql://a:b@ep-cool-1.eu-central-1.aws.neon.tech/neondb?sslmode=require"), false);
  assert.equal(isLocalDatabase("postgresql://a:b@localhost:5432/x"), false);
  assert.equal(isLocalDatabase("not a url"), false);
});
