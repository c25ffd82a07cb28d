// deploy/Caddyfile against services.json and npm run prod's proxy (caddy.ts): each reverse_proxy block's upstreams,
// health path and headers, and the request-body limits with the 413 answer. deploy-drift.ts calls it with what
// compose.yaml says; deploy-drift.test.ts runs both (npm test).
import { BODY_LIMITS, bodyLimitDirectives, PAYLOAD_TOO_LARGE_ERRORS } from "./caddy.ts";
import type { Manifest } from "./deploy-drift.ts";

interface ProxyBlock {
  upstreams: string[];
  lines: string[];
  /** The lines of the enclosing block before the reverse_proxy (nested blocks included). */
  before: string[];
  /** The site block it is in (its address line). */
  site: string;
}

/** Each reverse_proxy block of the Caddyfile: its upstreams and settings, and what precedes it. */
function proxyBlocks(caddyfile: string): ProxyBlock[] {
  const blocks: ProxyBlock[] = [];
  const lines = caddyfile.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  let site = "";
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (depth === 0 && line.endsWith("{")) site = line.slice(0, -1).trim();
    const m = /^reverse_proxy\s+(.*?)\s*\{$/.exec(line);
    if (!m) {
      depth += (line.endsWith("{") ? 1 : 0) - (line === "}" ? 1 : 0);
      continue;
    }
    // Back to the line that opens the enclosing block.
    let start = i - 1;
    for (let nested = 0; start >= 0; start--) {
      const l = lines[start]!;
      if (l === "}") nested++;
      else if (l.endsWith("{") && nested-- === 0) break;
    }
    const before = lines.slice(start + 1, i);
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "}"; i++) body.push(lines[i]!);
    blocks.push({ upstreams: m[1]!.split(/\s+/), lines: body, before, site });
  }
  return blocks;
}

const trimmedLines = (text: string) => text.split("\n").map((l) => l.trim());

/**
 * What differs between a Caddyfile's request-body limits and npm run prod's proxy (tools/prod/src/caddy.ts):
 * every route to the backends capped at BODY_LIMITS.backend, every route to the frontends at
 * BODY_LIMITS.frontend with /api/auth/* at BODY_LIMITS.auth, and each site answering the proxy's own 413 in
 * the apps' JSON body. `roleOf` tells a reverse_proxy's upstreams apart.
 */
export function bodyLimitDrift(caddyfile: string, roleOf: (upstreams: string[]) => "backend" | "frontend" | null, file = "Caddyfile"): string[] {
  const problems: string[] = [];
  const blocks = proxyBlocks(caddyfile);
  const contains = (have: string[], want: string[]) => want.every((w) => have.includes(w));
  for (const block of blocks) {
    const role = roleOf(block.upstreams);
    if (!role) continue;
    const where = `${file} reverse_proxy ${block.upstreams.join(" ")}`;
    const limit = BODY_LIMITS[role];
    if (!contains(block.before, trimmedLines(bodyLimitDirectives(limit, "")))) {
      problems.push(`${where}: request bodies are not capped at ${limit} bytes as npm run prod's proxy does (tools/prod/src/caddy.ts bodyLimitDirectives)`);
    }
    if (block.lines.some((l) => l.startsWith("fail_duration"))) {
      problems.push(`${where}: passive health checks (fail_duration) count a body the proxy refuses as the upstream's failure: any client could eject every instance`);
    }
    if (role === "frontend") {
      const route = block.before.indexOf("route /api/auth/* {");
      if (route < 0 || !contains(block.before.slice(route), trimmedLines(bodyLimitDirectives(BODY_LIMITS.auth, "")))) {
        problems.push(`${where}: /api/auth/* is not capped at ${BODY_LIMITS.auth} bytes (the frontends' own cap)`);
      }
    }
  }
  const errors = trimmedLines(PAYLOAD_TOO_LARGE_ERRORS);
  const lines = trimmedLines(caddyfile);
  for (const site of new Set(blocks.filter((b) => roleOf(b.upstreams)).map((b) => b.site))) {
    const opened = lines.indexOf(`${site} {`);
    let end = opened + 1;
    for (let depth = 1; end < lines.length && depth > 0; end++) depth += (lines[end]!.endsWith("{") ? 1 : 0) - (lines[end] === "}" ? 1 : 0);
    const body = lines.slice(opened + 1, end);
    const at = body.indexOf(errors[0]!);
    if (at < 0 || JSON.stringify(body.slice(at, at + errors.length)) !== JSON.stringify(errors)) {
      problems.push(`${file} ${site}: no handle_errors answering the proxy's 413 in the apps' JSON body (tools/prod/src/caddy.ts PAYLOAD_TOO_LARGE_ERRORS)`);
    }
  }
  return problems;
}

/** deploy/Caddyfile's upstreams: compose service names. */
const composeRole = (upstreams: string[]) =>
  upstreams.some((u) => u.startsWith("backend-")) ? "backend" : upstreams.some((u) => u.startsWith("frontend-")) ? "frontend" : null;

/**
 * What differs between deploy/Caddyfile and services.json: `instances` names the compose services that run a
 * service, `trustedIpHeader` is the frontends' AUTH_TRUSTED_IP_HEADER in compose.yaml.
 */
export function caddyDrift(manifest: Manifest, instances: (name: string) => string[], trustedIpHeader: string | undefined, caddyfile: string): string[] {
  const problems: string[] = [];
  const blocks = proxyBlocks(caddyfile);
  for (const [name, spec] of Object.entries(manifest.services)) {
    if (spec.role !== "web" || !spec.listen || !spec.health) continue;
    const expected = instances(name).map((key) => `${key}:${spec.listen!.defaultPort}`).sort();
    const mine = blocks.filter((b) => b.upstreams.some((u) => u.startsWith(`${name}-`)));
    if (!mine.length) problems.push(`Caddyfile: no reverse_proxy to the ${name} instances`);
    for (const block of mine) {
      const where = `Caddyfile reverse_proxy ${block.upstreams.join(" ")}`;
      if (JSON.stringify([...block.upstreams].sort()) !== JSON.stringify(expected)) problems.push(`${where}: upstreams are not compose.yaml's ${expected.join(" ")}`);
      // As npm run prod's proxy (tools/prod/src/topology.ts): the liveness path, so that with the
      // database down the services' own 503 answers reach the client.
      if (!block.lines.includes(`health_uri ${spec.health.live}`)) problems.push(`${where}: does not health-check ${spec.health.live}`);
      const setsId = block.lines.some((l) => l.toLowerCase().startsWith(`header_up ${manifest.requestIdHeader} `));
      if (!setsId) problems.push(`${where}: does not pass ${manifest.requestIdHeader}`);
    }
    if (trustedIpHeader && !mine.some((b) => b.lines.some((l) => l.toLowerCase().startsWith(`header_up ${trustedIpHeader} {remote_host}`)))) {
      problems.push(`Caddyfile: the ${name} instances never get ${trustedIpHeader} from the proxy (the frontends' AUTH_TRUSTED_IP_HEADER)`);
    }
  }
  problems.push(...bodyLimitDrift(caddyfile, composeRole));
  return problems;
}
