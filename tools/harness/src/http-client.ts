// The harness's one HTTP client, loopback only: `send` for plain http (the load generator, the scenarios' direct
// requests) and TlsClient for the production topology's HTTPS origin (tools/prod, the fault scenarios on it). Both
// answer the same shape; a network failure (timeout, refused or reset connection) is an answer with status 0,
// never a rejection.
import fs from "node:fs";
import http from "node:http";
import https from "node:https";

export interface HttpAnswer {
  status: number; // 0: no answer (timeout, connection refused or reset)
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
  error?: string;
}

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  timeoutMs?: number;
  agent?: http.Agent;
}

interface Exchange {
  answer: HttpAnswer;
  /** The request went out on a kept-alive connection. */
  reusedSocket: boolean;
  /** Any of the answer arrived. */
  gotBytes: boolean;
}

type Requester = (options: https.RequestOptions, callback: (res: http.IncomingMessage) => void) => http.ClientRequest;

/** One request through `request` (node:http's or node:https's) to where `target` says (host, agent, TLS name). */
function exchange(request: Requester, url: URL, target: https.RequestOptions, req: Omit<HttpRequest, "agent" | "url">): Promise<Exchange> {
  const body = req.json === undefined ? undefined : Buffer.from(JSON.stringify(req.json));
  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  if (body) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(body.length);
  }
  const timeoutMs = req.timeoutMs ?? 15_000;
  const t0 = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let gotBytes = false;
    const done = (a: Omit<HttpAnswer, "ms">) => {
      if (settled) return;
      settled = true;
      resolve({ answer: { ...a, ms: performance.now() - t0 }, reusedSocket: r.reusedSocket, gotBytes });
    };
    const options = { ...target, method: req.method ?? "GET", port: url.port, path: url.pathname + url.search, headers: { host: url.host, ...headers }, timeout: timeoutMs };
    const r = request(options, (res) => {
      gotBytes = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", (err) => done({ status: 0, headers: {}, body: "", error: err.message }));
    });
    r.on("timeout", () => r.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    r.on("error", (err) => done({ status: 0, headers: {}, body: "", error: err.message }));
    if (body) r.write(body);
    r.end();
  });
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * One plain-http request. The promise rejects only for a URL that is not loopback (so the harness cannot load a
 * real host) or not a URL at all, both mistakes in the caller.
 */
export async function send(req: HttpRequest): Promise<HttpAnswer> {
  const url = new URL(req.url);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`refusing to send load to ${url.hostname}: loopback only`);
  const hostname = url.hostname === "localhost" ? "127.0.0.1" : url.hostname.replace(/^\[|\]$/g, "");
  return (await exchange(http.request, url, { hostname, agent: req.agent }, req)).answer;
}

export interface TlsRequest extends Omit<HttpRequest, "agent"> {
  /** Local address to connect from (127.x.y.z): the proxy sees a distinct client per simulated user. */
  from?: string;
  agent?: https.Agent;
}

/** Requests to the topology's public origin, https://localhost only, trusting the local CA. */
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
    if (first.answer.status !== 0 || !first.reusedSocket || first.gotBytes) return first.answer;
    this.resent++;
    // On a new connection: another pooled one may be closing for the same reason.
    return (await this.once({ ...req, agent: new https.Agent({ keepAlive: false, ca: this.ca, localAddress: req.from ?? "127.0.0.1" }) })).answer;
  }

  private once(req: TlsRequest): Promise<Exchange> {
    const url = new URL(req.url);
    if (url.hostname !== "localhost" || url.protocol !== "https:") throw new Error(`refusing ${req.url}: https://localhost only`);
    return exchange(https.request, url, { host: "127.0.0.1", servername: "localhost", agent: req.agent ?? this.agent(req.from) }, req);
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}
