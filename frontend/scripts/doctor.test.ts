// `npm run doctor` asks this script what the frontend sees; it must see what `next start` sees,
// including a frontend/.env.local that overrides the root .env.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { keyCheckValue } from "../src/config/key-check-value";

const frontendDir = path.resolve(import.meta.dirname, "..");
const tsxBin = spawnSync("node", ["-e", "console.log(require.resolve('tsx/cli'))"], { cwd: frontendDir, encoding: "utf8" }).stdout.trim();
const ROOT_SECRET = "root-env-secret-for-the-doctor-test-0123456789";
const LOCAL_SECRET = "frontend-local-override-secret-0123456789abcd";
const URL_OK = "postgresql://u:p@localhost:5433/db?sslmode=require";

function fakeRepo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "authbridge-doctor-"));
  mkdirSync(path.join(root, "frontend"));
  writeFileSync(path.join(root, "frontend", "package.json"), "{}");
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text);
  return path.join(root, "frontend");
}

function doctor(cwd: string, mode: "production" | "development" = "production") {
  const r = spawnSync("node", [tsxBin, path.join(frontendDir, "scripts", "doctor.ts")], {
    cwd,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: mode },
    encoding: "utf8",
  });
  return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}") as {
    secret_kcv?: string;
    email_verification?: string;
    config_error?: string;
    warnings?: string[];
    sign_in?: { providers: string[]; oidc_issuer: string | null };
  };
}

describe("doctor script", () => {
  it("reports the key check value of the root .env's secret, never the secret", () => {
    const out = doctor(fakeRepo({ ".env": `BETTER_AUTH_SECRET=${ROOT_SECRET}\nDATABASE_URL=${URL_OK}\n` }));
    expect(out.secret_kcv).toBe(keyCheckValue(ROOT_SECRET));
    expect(JSON.stringify(out)).not.toContain(ROOT_SECRET);
  });

  it("sees a frontend/.env.local override the way next start does", () => {
    const cwd = fakeRepo({ ".env": `BETTER_AUTH_SECRET=${ROOT_SECRET}\nDATABASE_URL=${URL_OK}\n` });
    writeFileSync(path.join(cwd, ".env.local"), `BETTER_AUTH_SECRET=${LOCAL_SECRET}\n`);
    expect(doctor(cwd).secret_kcv).toBe(keyCheckValue(LOCAL_SECRET));
  });

  it("names the email verification policy it would run with", () => {
    const env = `BETTER_AUTH_SECRET=${ROOT_SECRET}\nDATABASE_URL=${URL_OK}\n`;
    expect(doctor(fakeRepo({ ".env": env })).email_verification).toBe("optional");
    expect(doctor(fakeRepo({ ".env": `${env}REQUIRE_EMAIL_VERIFICATION=true\n` })).email_verification).toBe("required");
  });

  it("warns in production when SMTP_URL would make the start refuse, and only then", () => {
    const env = `BETTER_AUTH_SECRET=${ROOT_SECRET}\nDATABASE_URL=${URL_OK}\nAUTH_TRUSTED_IP_HEADER=x-real-ip\nBETTER_AUTH_URL=https://app.example.com\n`;
    expect(doctor(fakeRepo({ ".env": env })).warnings).toEqual([expect.stringMatching(/^a production start would stop: config error: SMTP_URL: is not set/)]);
    expect(doctor(fakeRepo({ ".env": `${env}SMTP_URL=smtp://localhost:1025\n` })).warnings).toEqual([expect.stringMatching(/SMTP_URL: points at the development mail catcher/)]);
    expect(doctor(fakeRepo({ ".env": `${env}SMTP_URL=smtp://127.0.0.1:25\n` })).warnings).toEqual([]);
    expect(doctor(fakeRepo({ ".env": env }), "development").warnings).toEqual([]);
  });

  it("warns when production runs without a trusted client-address header, and only then", () => {
    const env = `BETTER_AUTH_SECRET=${ROOT_SECRET}\nDATABASE_URL=${URL_OK}\nSMTP_URL=smtp://127.0.0.1:25\n`;
    expect(doctor(fakeRepo({ ".env": env })).warnings).toEqual([expect.stringMatching(/^NODE_ENV=production but AUTH_TRUSTED_IP_HEADER is empty: .* Fix: /)]);
    expect(doctor(fakeRepo({ ".env": `${env}AUTH_TRUSTED_IP_HEADER=x-real-ip\n` })).warnings).toEqual([]);
    expect(doctor(fakeRepo({ ".env": env }), "development").warnings).toEqual([]);
  });

  it("reports a configuration error as one line instead of a value", () => {
    const out = doctor(fakeRepo({ ".env": `BETTER_AUTH_SECRET=short\nDATABASE_URL=${URL_OK}\n` }));
    expect(out.config_error).toMatch(/^config error: BETTER_AUTH_SECRET: /);
  });

  it("names the sign-in providers it would offer and the OpenID issuer the launcher checks", () => {
    const env = `BETTER_AUTH_SECRET=${ROOT_SECRET}\nDATABASE_URL=${URL_OK}\n`;
    expect(doctor(fakeRepo({ ".env": env }), "development").sign_in).toEqual({ providers: [], oidc_issuer: null });
    const oidc = `${env}GITHUB_CLIENT_ID=a\nGITHUB_CLIENT_SECRET=b\nOIDC_ISSUER=https://sso.example.com/realms/acme/\nOIDC_CLIENT_ID=c\nOIDC_CLIENT_SECRET=d\nOIDC_NAME=Acme SSO\n`;
    expect(doctor(fakeRepo({ ".env": oidc }), "development").sign_in).toEqual({ providers: ["GitHub", "Acme SSO"], oidc_issuer: "https://sso.example.com/realms/acme" });
    expect(doctor(fakeRepo({ ".env": `${env}OIDC_CLIENT_ID=c\n` }), "development").config_error).toMatch(/^config error: OIDC_ISSUER: is missing while OIDC_CLIENT_ID is set/);
  });
});
