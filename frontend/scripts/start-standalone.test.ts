// start.mjs (scripts/start-standalone.mjs) around a server.js that, like Next.js's, builds its server
// with http.createServer: HOST/PORT, the request id (kept, made, forwarded, answered, logged) and
// JSON lines. The real standalone server behind it runs in `npm run prod`.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const STUB_SERVER = `
import http from "node:http";
const server = http.createServer((req, res) => {
  console.log("handling %s", req.url);
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ seen: req.headers["x-request-id"], host: process.env.HOSTNAME }));
});
server.listen(Number(process.env.PORT), process.env.HOSTNAME, () => console.log("ready on %s", process.env.PORT));
`;

const running: Array<{ child: ChildProcess; dir: string }> = [];
afterEach(() => {
  for (const { child, dir } of running.splice(0)) {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), "start-standalone-"));
  copyFileSync(path.join(import.meta.dirname, "start-standalone.mjs"), path.join(dir, "start.mjs"));
  writeFileSync(path.join(dir, "server.js"), STUB_SERVER);
  writeFileSync(path.join(dir, "package.json"), '{"type":"module"}');
  const port = await freePort();
  const child = spawn(process.execPath, ["start.mjs"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", HOSTNAME: "container-id-from-docker", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push({ child, dir });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (!output.includes("ready on")) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const get = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${port}/dashboard?token=secret`, { headers });
    return { id: res.headers.get("x-request-id"), body: (await res.json()) as { seen: string; host: string } };
  };
  return { get, output: () => output };
}

describe("start.mjs", () => {
  it("listens on HOST, not the HOSTNAME Docker sets, and keeps a plausible request id", async () => {
    const server = await start({ HOST: "127.0.0.1" });
    const { id, body } = await server.get({ "x-request-id": "proxy-abc.123" });
    expect(body.host).toBe("127.0.0.1");
    expect(id).toBe("proxy-abc.123");
    expect(body.seen).toBe("proxy-abc.123"); // what the app (and so the backend call) sees
  });

  it("makes a fresh id when none or a bad one is sent", async () => {
    const server = await start({ HOST: "127.0.0.1" });
    const ids = new Set<string>();
    const sent: Array<Record<string, string>> = [{}, { "x-request-id": "two words" }, { "x-request-id": "x".repeat(129) }];
    for (const headers of sent) {
      const { id, body } = await server.get(headers);
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(body.seen).toBe(id);
      ids.add(id!);
    }
    expect(ids.size).toBe(3);
  });

  it("with LOG_FORMAT=json writes only JSON lines: Next's own and one access line per request, with the id", async () => {
    const server = await start({ HOST: "127.0.0.1", LOG_FORMAT: "json" });
    await server.get({ "x-request-id": "trace-7" });
    const deadline = Date.now() + 5000;
    while (!server.output().includes('"logger":"access"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const lines = server.output().trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: "info", logger: "next", message: expect.stringMatching(/^ready on \d+$/) });
    expect(lines.find((l) => l.message === "handling /dashboard?token=secret")).toMatchObject({ request_id: "trace-7" });
    const access = lines.filter((l) => l.logger === "access");
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ method: "GET", path: "/dashboard", status: 200, request_id: "trace-7" });
    expect(JSON.stringify(access[0])).not.toContain("secret"); // the query never reaches the access line
  });

  it("in text mode writes no access line", async () => {
    const server = await start({ HOST: "127.0.0.1" });
    await server.get();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.output()).not.toContain('"logger":"access"');
    expect(server.output()).toContain("handling /dashboard");
  });
});
