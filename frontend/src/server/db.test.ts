import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { poolConfigFor } from "./db";

const NEON = "postgresql://u:p%40ss@ep-x.eu-central-1.aws.neon.tech/neondb?sslmode=require&channel_binding=require";

describe("poolConfigFor", () => {
  it("strips TLS parameters from the URL so they cannot override our ssl option", () => {
    const config = poolConfigFor(NEON, undefined);
    expect(config.connectionString).toBe("postgresql://u:p%40ss@ep-x.eu-central-1.aws.neon.tech/neondb");
  });

  it("always verifies the server certificate and enables channel binding for Neon", () => {
    const config = poolConfigFor(NEON, undefined);
    expect(config.ssl).toEqual({ rejectUnauthorized: true });
    expect(config.enableChannelBinding).toBe(true);
  });

  it("uses the CA file when given one, and keeps other URL parameters", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ca-"));
    const ca = path.join(dir, "ca.crt");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n");
    const config = poolConfigFor("postgres://u:p@localhost:5433/db?sslmode=verify-full&application_name=x", ca);
    expect(config.connectionString).toBe("postgres://u:p@localhost:5433/db?application_name=x");
    expect(config.ssl).toMatchObject({ rejectUnauthorized: true, ca: expect.stringContaining("BEGIN CERTIFICATE") });
  });

  it("skips only the host name check for verify-ca with a CA file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ca-"));
    const ca = path.join(dir, "ca.crt");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n");
    const ssl = poolConfigFor("postgres://u:p@h/db?sslmode=verify-ca", ca).ssl as { rejectUnauthorized: boolean; checkServerIdentity?: unknown };
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(typeof ssl.checkServerIdentity).toBe("function");
  });

  it("checks the host name for verify-ca against the system CAs (a public chain alone proves nothing)", () => {
    const ssl = poolConfigFor("postgres://u:p@h/db?sslmode=verify-ca", undefined).ssl as { checkServerIdentity?: unknown };
    expect(ssl).toEqual({ rejectUnauthorized: true });
  });
});
