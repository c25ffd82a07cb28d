// The container recipes match deploy/services.json (deploy-drift.ts), and the check catches a recipe
// that drifted: each kind of difference, introduced into a copy, is reported.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { bodyLimitDrift } from "./caddyfile-drift.ts";
import { composeDrift, dockerfileDrift, dockerStages, readManifest } from "./deploy-drift.ts";
import { ensureCaddy, ROOT, run } from "@authbridge/harness";
import { BODY_LIMITS, CADDY, caddyfile as generatedCaddyfile } from "./caddy.ts";

const manifest = readManifest(ROOT);
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const compose = read("deploy/compose.yaml");
const caddyfile = read("deploy/Caddyfile");

test("every service's Dockerfile matches services.json", () => {
  for (const [name, spec] of Object.entries(manifest.services)) {
    assert.deepEqual(dockerfileDrift(name, spec, read(spec.container.dockerfile)), [], name);
  }
});

test("the compose file and its Caddyfile match services.json", () => {
  assert.deepEqual(composeDrift(manifest, compose, caddyfile), []);
});

test("the frontend's start command is the file its build puts beside server.js", () => {
  const { command } = manifest.services.frontend!;
  const assemble = read("frontend/scripts/assemble-standalone.ts");
  assert.ok(assemble.includes(`"${command[1]}"`), `assemble-standalone.ts does not write ${command[1]}`);
});

const backend = manifest.services.backend!;
const backendDockerfile = read(backend.container.dockerfile);
const drift = (text: string) => dockerfileDrift("backend", backend, text);

test("a Dockerfile that drifted is reported, one line per difference", () => {
  const cases: Array<[string, string, RegExp]> = [
    ['CMD ["python", "-m", "app"]', 'CMD ["uvicorn", "app.main:app"]', /CMD \["uvicorn","app\.main:app"\] but services\.json says/],
    ["WORKDIR /app/backend\nENV PATH", "WORKDIR /srv\nENV PATH", /WORKDIR \/srv but services\.json says \/app\/backend/],
    ["PORT=8000", "PORT=8080", /ENV PORT is 8080, not 8000/],
    ["HOST=0.0.0.0", "HOST=127.0.0.1", /ENV HOST is 127\.0\.0\.1, not 0\.0\.0\.0/],
    ["LOG_FORMAT=json", "LOG_FORMAT=text", /ENV LOG_FORMAT=text but production is json/],
    ["USER 10001", "USER root", /runs as root/],
    ["/health/live", "/healthz", /HEALTHCHECK does not probe \/health\/live/],
    ["EXPOSE 8000", "EXPOSE 80", /EXPOSE 80 but the port is 8000/],
    ["PYTHONUNBUFFERED=1", "PYTHONUNBUFFERED=1 \\\n    SECRET_SAUCE=1", /ENV SECRET_SAUCE is not a variable services\.json lists/],
  ];
  for (const [from, to, expected] of cases) {
    assert.ok(backendDockerfile.includes(from), `the fixture lost ${from}`);
    const problems = drift(backendDockerfile.replace(from, to));
    assert.equal(problems.length, 1, `${to}: ${problems.join("; ")}`);
    assert.match(problems[0]!, expected);
  }
});

test("a moving base-image tag and a single-stage Dockerfile are reported", () => {
  assert.match(drift(backendDockerfile.replaceAll("python:3.11.7-slim-bookworm", "python:3.11-slim")).join("\n"), /python:3\.11-slim is not pinned/);
  const single = dockerStages(backendDockerfile).at(-1)!.map((i) => `${i.keyword} ${i.args}`).join("\n");
  assert.match(drift(single).join("\n"), /not multi-stage/);
});

test("a compose file or Caddyfile that drifted is reported", () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ["compose", '  backend-2: *backend\n', "", /1 backend service\(s\), want at least 2/],
    ["compose", 'command: ["alembic", "upgrade", "head"]', 'command: ["alembic", "upgrade", "heads"]', /migrate: command .* but services\.json says/],
    ["compose", "    PORT: \"3000\"", "    PORT: \"3001\"", /frontend-1: PORT is not 3000/],
    ["compose", "BACKEND_INTERNAL_HOSTS: proxy", "BACKEND_INTERNAL_HOSTS: other", /BACKEND_URL http:\/\/proxy:8480 would be refused in production/],
    ["compose", "condition: service_completed_successfully\n  restart: unless-stopped\n\nx-frontend", "condition: service_started\n  restart: unless-stopped\n\nx-frontend", /backend-1: does not wait for the release step/],
    ["caddy", "health_uri /health/live\n", "health_uri /health\n", /does not health-check \/health\/live/],
    ["caddy", "frontend-1:3000 frontend-2:3000", "frontend-1:3000", /upstreams are not compose\.yaml's/],
  ];
  for (const [file, from, to, expected] of cases) {
    const source = file === "compose" ? compose : caddyfile;
    assert.ok(source.includes(from), `the fixture lost ${from}`);
    const changed = source.replace(from, to);
    const problems = file === "compose" ? composeDrift(manifest, changed, caddyfile) : composeDrift(manifest, compose, changed);
    assert.ok(problems.length >= 1, `${to}: nothing reported`);
    assert.ok(problems.some((p) => expected.test(p)), `${to}: ${problems.join("; ")}`);
  }
});

test("both Caddyfiles cap request bodies alike: 64 KiB to the backends and /api/auth/*, 1 MiB to the rest", () => {
  assert.deepEqual([BODY_LIMITS.backend, BODY_LIMITS.auth, BODY_LIMITS.frontend], [65536, 65536, 1048576]);
  const backends = [8601, 8602];
  const generated = generatedCaddyfile({
    dir: "/nonexistent",
    publicPort: 8643,
    internalPort: 8680,
    adminPort: 2619,
    tls: { caCert: "/ca.crt", serverCert: "/server.crt", serverKey: "/server.key" },
    frontends: [3601, 3602].map((port) => ({ port, health: "/health/live" })),
    backends: backends.map((port) => ({ port, health: "/health/live" })),
  });
  const byPort = (ups: string[]) => (ups.some((u) => backends.some((p) => u.endsWith(`:${p}`))) ? "backend" : "frontend");
  assert.deepEqual(bodyLimitDrift(generated, byPort, "generated"), []);
  // deploy/Caddyfile: through composeDrift (above); here, that it has all three caps at all.
  for (const limit of new Set(Object.values(BODY_LIMITS))) assert.ok(caddyfile.includes(`max_size ${limit}\n`), `no max_size ${limit}`);
});

test("a Caddyfile whose body limits drifted is reported", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["\t\t\tmax_size 65536\n\t\t}\n\t\treverse_proxy backend-1", "\t\t\tmax_size 131072\n\t\t}\n\t\treverse_proxy backend-1", /reverse_proxy backend-1:8000 backend-2:8000: request bodies are not capped at 65536 bytes/],
    ["int({http.request.header.Content-Length}) > 1048576", "int({http.request.header.Content-Length}) > 10485760", /reverse_proxy frontend-1:3000 frontend-2:3000: request bodies are not capped at 1048576/],
    ["route /api/auth/* {", "route /api/other/* {", /\/api\/auth\/\* is not capped at 65536 bytes/],
    ["\theader @payload_too_large Content-Type application/json\n", "", /\{\$PUBLIC_HOST\}: no handle_errors answering the proxy's 413/],
    ["\t\t\thealth_timeout 2s\n", "\t\t\thealth_timeout 2s\n\t\t\tfail_duration 5s\n", /passive health checks \(fail_duration\)/],
  ];
  for (const [from, to, expected] of cases) {
    assert.ok(caddyfile.includes(from), `the fixture lost ${JSON.stringify(from)}`);
    const problems = composeDrift(manifest, compose, caddyfile.replace(from, to));
    assert.ok(problems.some((p) => expected.test(p)), `${JSON.stringify(to)}: ${problems.join("; ") || "nothing reported"}`);
  }
});

test("Caddy (the compose image's version, 2.6.2, as Debian's) accepts deploy/Caddyfile", () => {
  ensureCaddy();
  const status = run(CADDY, ["adapt", "--config", path.join(ROOT, "deploy", "Caddyfile"), "--adapter", "caddyfile"], {
    env: { PUBLIC_HOST: "app.example.test" },
    timeoutMs: 30_000,
  });
  assert.equal(status, 0);
});
