import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadRootDotenv } from "./dotenv";

describe("root .env loading", () => {
  it("fills missing variables, lets the shell win, and removes nothing", () => {
    const root = mkdtempSync(path.join(tmpdir(), "dotenv-"));
    writeFileSync(path.join(root, ".env"), "BETTER_AUTH_SECRET=from-file\nBACKEND_URL=http://file:8000\n# comment\n");
    const target: Record<string, string | undefined> = { BACKEND_URL: "http://shell:8000", KEEP: "me" };
    loadRootDotenv(root, target);
    expect(target).toEqual({ BETTER_AUTH_SECRET: "from-file", BACKEND_URL: "http://shell:8000", KEEP: "me" });
  });

  it("is a no-op without a .env file", () => {
    const target: Record<string, string | undefined> = { A: "1" };
    loadRootDotenv(mkdtempSync(path.join(tmpdir(), "dotenv-")), target);
    expect(target).toEqual({ A: "1" });
  });
});
