// After `next build` (output: "standalone"): make .next/standalone/frontend/ a complete server that
// runs as is, here or in a container image: Next.js leaves the static assets and public/ for the
// deployer to copy (https://nextjs.org/docs/app/api-reference/config/next-config-js/output), and
// start.mjs (scripts/start-standalone.mjs) is the entry deploy/services.json names.
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";

const frontend = path.resolve(import.meta.dirname, "..");
const server = path.join(frontend, ".next", "standalone", "frontend");

if (!existsSync(path.join(server, "server.js"))) {
  process.stderr.write(`assemble-standalone: ${path.relative(frontend, server)}/server.js is missing; is output: "standalone" set in next.config.ts?\n`);
  process.exit(1);
}
const copies: Array<[string, string]> = [
  [path.join(frontend, ".next", "static"), path.join(server, ".next", "static")],
  [path.join(frontend, "public"), path.join(server, "public")],
];
for (const [from, to] of copies) {
  rmSync(to, { recursive: true, force: true });
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
cpSync(path.join(frontend, "scripts", "start-standalone.mjs"), path.join(server, "start.mjs"));
