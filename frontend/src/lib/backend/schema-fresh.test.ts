// The generated types must match contracts/openapi.json: regenerate with `npm run gen:api`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const frontendDir = path.resolve(import.meta.dirname, "../../..");
const contract = path.resolve(frontendDir, "../contracts/openapi.json");
const committed = path.join(frontendDir, "src/lib/backend/schema.d.ts");
const cli = path.join(path.dirname(createRequire(import.meta.url).resolve("openapi-typescript/package.json")), "bin/cli.js");

describe("generated backend types", () => {
  it("are up to date with contracts/openapi.json (run `npm run gen:api -w frontend`)", () => {
    const fresh = path.join(mkdtempSync(path.join(tmpdir(), "openapi-")), "schema.d.ts");
    execFileSync(process.execPath, [cli, contract, "-o", fresh], { cwd: frontendDir, stdio: "pipe" });
    expect(readFileSync(committed, "utf8")).toBe(readFileSync(fresh, "utf8"));
  });
});
