// The container recipes against deploy/services.json, the one description `npm run prod` starts
// from. Docker is not needed: the Dockerfiles, deploy/compose.yaml and deploy/Caddyfile are parsed
// and every difference in start command, working directory, port, host, health path, production
// environment or variable name is reported as one line. The request-body limits of deploy/Caddyfile
// are checked against npm run prod's proxy (tools/prod/src/caddy.ts), which the generated Caddyfile
// passes too (caddyfile-drift.ts). deploy-drift.test.ts runs it (npm test).
import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { backendLinkCase } from "../../../frontend/src/config/backend-link.ts";
import { caddyDrift } from "./caddyfile-drift.ts";

export interface ServiceSpec {
  role: "release" | "web";
  workdir: string;
  command: string[];
  container: { dockerfile: string; workdir: string };
  listen?: { portEnv: string; hostEnv: string; defaultPort: number; defaultHost: string };
  health?: { live: string; ready: string };
  env: { required: string[]; optional: string[]; production: Record<string, string> };
}

export interface Manifest {
  requestIdHeader: string;
  services: Record<string, ServiceSpec>;
}

export const readManifest = (root: string): Manifest =>
  JSON.parse(fs.readFileSync(path.join(root, "deploy", "services.json"), "utf8")) as Manifest;

/** Variables an image may set for its own runtime, beyond what the service reads. */
const RUNTIME_ENV = new Set(["PATH", "PYTHONUNBUFFERED", "NEXT_TELEMETRY_DISABLED"]);

interface Instruction {
  keyword: string;
  args: string;
}

/** A Dockerfile's stages, each its instructions (continuations joined, comments dropped). */
export function dockerStages(text: string): Instruction[][] {
  const logical: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) continue;
    if (line.startsWith("#")) continue; // a comment inside a continued instruction
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(pending + line);
    pending = "";
  }
  const stages: Instruction[][] = [];
  for (const line of logical) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    if (instruction.keyword === "FROM") stages.push([]);
    if (stages.length) stages.at(-1)!.push(instruction);
  }
  return stages;
}

/** ENV in both forms (`ENV A=1 B=2`, `ENV A 1`), values unquoted. */
function envOf(stage: Instruction[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const { keyword, args } of stage) {
    if (keyword !== "ENV") continue;
    if (!args.includes("=")) {
      const [name = "", ...value] = args.split(/\s+/);
      env.set(name, value.join(" "));
      continue;
    }
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) env.set(m[1]!, m[2]!.replace(/^"|"$/g, ""));
  }
  return env;
}

const last = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword).at(-1)?.args;
const known = (spec: ServiceSpec) =>
  new Set([...spec.env.required, ...spec.env.optional, ...Object.keys(spec.env.production), spec.listen?.portEnv, spec.listen?.hostEnv].filter(Boolean) as string[]);
/** An exact version (x.y.z…) or a digest: never a moving tag such as `latest`, `3.11` or `lts`. */
const PINNED = /(?::\d+\.\d+\.\d+[^@\s]*|@sha256:[0-9a-f]{64})$/;

/** What differs between one service's Dockerfile and its entry in services.json. */
export function dockerfileDrift(name: string, spec: ServiceSpec, text: string): string[] {
  const where = `${spec.container.dockerfile} (${name})`;
  const problems: string[] = [];
  const stages = dockerStages(text);
  if (stages.length < 2) problems.push(`${where}: not multi-stage (${stages.length} FROM)`);
  const stageNames = new Set<string>();
  for (const stage of stages) {
    const [image = "", , alias] = stage[0]!.args.split(/\s+/);
    if (!stageNames.has(image) && !PINNED.test(image)) problems.push(`${where}: base image ${image} is not pinned to an exact version or digest`);
    if (alias) stageNames.add(alias);
  }
  const final = stages.at(-1) ?? [];
  const user = last(final, "USER");
  if (!user || ["root", "0"].includes(user.split(":")[0]!)) problems.push(`${where}: the final stage runs as ${user ?? "root (no USER)"}`);
  const workdir = last(final, "WORKDIR");
  if (workdir !== spec.container.workdir) problems.push(`${where}: WORKDIR ${workdir} but services.json says ${spec.container.workdir}`);
  // A release step runs in a web service's image with its own command (compose.yaml gives it).
  if (spec.role === "release") return problems;
  let cmd: unknown = null;
  try {
    cmd = JSON.parse(last(final, "CMD") ?? "null");
  } catch {
    problems.push(`${where}: CMD is not in exec form (a JSON array)`);
  }
  if (cmd !== null && JSON.stringify(cmd) !== JSON.stringify(spec.command)) {
    problems.push(`${where}: CMD ${JSON.stringify(cmd)} but services.json says ${JSON.stringify(spec.command)}`);
  }
  const env = envOf(final);
  for (const [key, value] of Object.entries(spec.env.production)) {
    if (env.get(key) !== value) problems.push(`${where}: ENV ${key}=${env.get(key) ?? "(unset)"} but production is ${value}`);
  }
  for (const key of env.keys()) {
    if (!known(spec).has(key) && !RUNTIME_ENV.has(key)) problems.push(`${where}: ENV ${key} is not a variable services.json lists`);
  }
  if (spec.listen) {
    const { portEnv, hostEnv, defaultPort } = spec.listen;
    if (env.get(hostEnv) !== "0.0.0.0") problems.push(`${where}: ENV ${hostEnv} is ${env.get(hostEnv) ?? "unset"}, not 0.0.0.0 (a container must listen beyond loopback)`);
    if (env.get(portEnv) !== String(defaultPort)) problems.push(`${where}: ENV ${portEnv} is ${env.get(portEnv) ?? "unset"}, not ${defaultPort}`);
    if (last(final, "EXPOSE") !== String(defaultPort)) problems.push(`${where}: EXPOSE ${last(final, "EXPOSE")} but the port is ${defaultPort}`);
  }
  if (spec.health) {
    const healthcheck = last(final, "HEALTHCHECK") ?? "";
    if (!healthcheck.includes(`${spec.health.live}'`) && !healthcheck.includes(`${spec.health.live}"`)) {
      problems.push(`${where}: HEALTHCHECK does not probe ${spec.health.live}`);
    }
  }
  return problems;
}

type ComposeService = {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: string[];
  volumes?: string[];
};

const parseCompose = (text: string) =>
  parseYaml(text, { merge: true }) as { services: Record<string, ComposeService> };

/** The compose services that run `name` (`backend-1`, `backend-2`, … or `migrate`). */
const instancesOf = (compose: { services: Record<string, ComposeService> }, name: string) =>
  Object.entries(compose.services).filter(([key]) => key === name || new RegExp(`^${name}-\\d+$`).test(key));

/** Literal value of a compose environment entry (`${VAR:-x}` interpolations are not literal). */
const literal = (v: unknown) => (v === null || v === undefined ? undefined : String(v));

/** What differs between deploy/compose.yaml (and its Caddyfile) and services.json. */
export function composeDrift(manifest: Manifest, composeText: string, caddyfile: string): string[] {
  const problems: string[] = [];
  const compose = parseCompose(composeText);
  for (const [name, spec] of Object.entries(manifest.services)) {
    const instances = instancesOf(compose, name);
    const wanted = spec.role === "web" ? 2 : 1;
    if (instances.length < wanted) problems.push(`compose.yaml: ${instances.length} ${name} service(s), want at least ${wanted}`);
    for (const [key, service] of instances) {
      const where = `compose.yaml ${key}`;
      if (JSON.stringify(service.command) !== JSON.stringify(spec.command)) {
        problems.push(`${where}: command ${JSON.stringify(service.command)} but services.json says ${JSON.stringify(spec.command)}`);
      }
      if (service.build?.dockerfile !== spec.container.dockerfile) problems.push(`${where}: built from ${service.build?.dockerfile} but services.json says ${spec.container.dockerfile}`);
      const env = service.environment ?? {};
      for (const variable of spec.env.required) if (!(variable in env)) problems.push(`${where}: required ${variable} is not set`);
      for (const variable of Object.keys(env)) if (!known(spec).has(variable)) problems.push(`${where}: ${variable} is not a variable services.json lists`);
      for (const [variable, value] of Object.entries(spec.env.production)) {
        if (literal(env[variable]) !== value) problems.push(`${where}: ${variable}=${literal(env[variable]) ?? "(unset)"} but production is ${value}`);
      }
      if (spec.listen) {
        if (literal(env[spec.listen.portEnv]) !== String(spec.listen.defaultPort)) problems.push(`${where}: ${spec.listen.portEnv} is not ${spec.listen.defaultPort}`);
        if (literal(env[spec.listen.hostEnv]) !== "0.0.0.0") problems.push(`${where}: ${spec.listen.hostEnv} is not 0.0.0.0`);
      }
      if (spec.role === "web") {
        const release = Object.entries(manifest.services).find(([, s]) => s.role === "release")?.[0];
        const deps = service.depends_on;
        const condition = deps && !Array.isArray(deps) && release ? deps[release]?.condition : undefined;
        if (condition !== "service_completed_successfully") problems.push(`${where}: does not wait for the release step (${release}) to complete`);
      }
      const backendUrl = literal(env.BACKEND_URL);
      if (backendUrl && backendLinkCase(backendUrl, (literal(env.BACKEND_INTERNAL_HOSTS) ?? "").split(",").filter(Boolean)) === "refused") {
        problems.push(`${where}: BACKEND_URL ${backendUrl} would be refused in production (not https, loopback or in BACKEND_INTERNAL_HOSTS)`);
      }
    }
  }
  const frontendEnv = instancesOf(compose, "frontend")[0]?.[1].environment ?? {};
  const instanceKeys = (name: string) => instancesOf(compose, name).map(([key]) => key);
  problems.push(...caddyDrift(manifest, instanceKeys, literal(frontendEnv.AUTH_TRUSTED_IP_HEADER), caddyfile));
  return problems;
}
