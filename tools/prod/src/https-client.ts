// Requests to the topology's public HTTPS origin, the way the harness's `send` makes plain ones
// (tools/harness/src/http-load.ts: same answer shape, a network failure is status 0, loopback only),
// plus what only a real client address can show: `from` binds the connection to a loopback address
// of its own (127.0.0.0/8), so the proxy sees a distinct client per simulated user.
import fs from "node:fs";
import https from "node:https";
import type { HttpAnswer } from "@authbridge/harness";

export interface TlsRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  timeoutMs?: number;
  /** Local address to connect from (127.x.y.z). */
  from?: string;
  agent?: https.Agent;
}

export class TlsClient {
  readonly ca: string;
  private readonly agents = new Map<string, https.Agent>();

  constructor(caCertFile: string) {
    this.ca = fs.readFileSync(caCertFile, "utf8");
  }

  /** A keep-alive agent per source address (each simulated user keeps its own connections). */
  agent(from = "127.0.0.1"): https.Agent {
    let a = this.agents.get(from);
    if (!a) {
      a = new https.Agent({ keepAlive: true, ca: this.ca, localAddress: from, maxSockets: 4 });
      this.agents.set(from, a);
    }
    return a;
  }

  /**
   * Requests sent again because the connection they went out on was a reused keep-alive one that the
   * server had closed before answering (a proxy reload closes idle connections). Browsers and Go's
   * client resend those too; Node's documentation shows the same pattern (`request.reusedSocket`).
   */
  resent = 0;

  async send(req: TlsRequest): Promise<HttpAnswer> {
    const first = await this.once(req);
    if (first.status !== 0 || !first.reusedSocket || first.gotBytes) return first.answer;
    this.resent++;
    // On a new connection: another pooled one may be closing for the same reason.
    return (await this.once({ ...req, agent: new https.Agent({ keepAlive: false, ca: this.ca, localAddress: req.from ?? "127.0.0.1" }) })).answer;
  }

  private once(req: TlsRequest): Promise<{ answer: HttpAnswer; status: number; reusedSocket: boolean; gotBytes: boolean }> {
    const url = new URL(req.url);
    if (url.hostname !== "localhost" || url.protocol !== "https:") throw new Error(`refusing ${req.url}: https://localhost only`);
    const body = req.json === undefined ? undefined : Buffer.from(JSON.stringify(req.json));
    const headers: Record<string, string> = { accept: "application/json", ...req.headers };
    if (body) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(body.length);
    }
    const t0 = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      let gotBytes = false;
      const done = (a: Omit<HttpAnswer, "ms">) => {
        if (settled) return;
        settled = true;
        resolve({ answer: { ...a, ms: performance.now() - t0 }, status: a.status, reusedSocket: r.reusedSocket, gotBytes });
      };
      const r = https.request(
        {
          method: req.method ?? "GET",
          host: "127.0.0.1",
          servername: "localhost",
          port: url.port,
          path: url.pathname + url.search,
          headers: { host: url.host, ...headers },
          agent: req.agent ?? this.agent(req.from),
          timeout: req.timeoutMs ?? 15_000,
        },
        (res) => {
          gotBytes = true;
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", (err) => done({ status: 0, headers: {}, body: "", error: err.message }));
        },
      );
      r.on("timeout", () => r.destroy(new Error(`timeout after ${req.timeoutMs ?? 15_000} ms`)));
      r.on("error", (err) => done({ status: 0, headers: {}, body: "", error: err.message }));
      if (body) r.write(body);
      r.end();
    });
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}
