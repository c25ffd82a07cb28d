// The reverse proxy of the production topology: Debian's Caddy, configured from a generated
// Caddyfile. One public HTTPS origin (the local CA's certificate, HSTS) in front of every frontend
// instance, with the backends under /backend/ for mobile and CLI clients; one loopback-only HTTP
// listener that the frontends' servers use to reach the backends (BACKEND_URL). On both it sets the
// trusted client-address header (X-Real-IP) and a request id (X-Request-Id), replacing whatever the
// client sent, health-checks every upstream and balances across the healthy ones.
// Draining an instance is a graceful config reload without it (what a platform does before SIGTERM).
// Request bodies are capped per route before anything is forwarded (BODY_LIMITS), with the apps'
// JSON error body on the proxy's own 413 (docs/operations.md "Request-body limits").
import fs from "node:fs";
import path from "node:path";
import { capture, run, type Service, startService, type TlsFiles, waitForHttp } from "@authbridge/harness";

export const CADDY = "/usr/bin/caddy";
/** The header the proxy sets to the client's address; the frontends trust exactly this one. */
export const TRUSTED_IP_HEADER = "x-real-ip";
/** Path prefix of the backends on the public origin (stripped before it reaches them). */
export const PUBLIC_API_PREFIX = "/backend";
export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The largest request body the proxy forwards, per route, in bytes. Never below what the app behind
 * accepts (the app's own refusal stays the answer there), and equal to it where the app has a cap, so
 * that the proxy, which reads first, is the one that refuses.
 */
export const BODY_LIMITS = {
  /** The backends' BACKEND_MAX_BODY_BYTES default (backend/app/http/body_limit.py). */
  backend: 64 * 1024,
  /** The frontends' /api/auth/* cap (frontend/src/server/body-limit.ts). */
  auth: 64 * 1024,
  /** Everything else a frontend serves: Next.js server actions accept up to 1 MiB (its default bodySizeLimit). */
  frontend: 1024 * 1024,
} as const;

/** "64 KiB", "1 MiB": the size as the apps' 413 messages name it. */
const sizeLabel = (bytes: number) =>
  bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;

/**
 * Directives that cap a route's request bodies at `bytes`: a declared Content-Length over it is refused
 * before anything is read or forwarded; a body without one (chunked, or HTTP/2) is cut as soon as it
 * passes it (request_body). Both end in handle_errors below (the JSON 413). `indent`: the block's tabs.
 */
export function bodyLimitDirectives(bytes: number, indent: string): string {
  const declared = "{http.request.header.Content-Length}";
  return [
    `vars body_limit "${sizeLabel(bytes)}"`,
    `@body_over_${bytes} expression \`${declared}.matches("^[0-9]+$") && int(${declared}) > ${bytes}\``,
    `error @body_over_${bytes} 413`,
    "request_body {",
    `\tmax_size ${bytes}`,
    "}",
  ].join(`\n${indent}`);
}

/**
 * The proxy's own 413 in the apps' error body (Caddy's has none), with Connection: close: the rest of
 * the upload is not read. Other errors keep Caddy's answer.
 */
export const PAYLOAD_TOO_LARGE_ERRORS = `handle_errors {
	@payload_too_large expression {err.status_code} == 413
	header @payload_too_large Content-Type application/json
	header @payload_too_large Connection close
	respond @payload_too_large \`{"code":"PAYLOAD_TOO_LARGE","message":"The request body is larger than {vars.body_limit}."}\` 413
}`;

const indented = (text: string, indent: string) => text.split("\n").join(`\n${indent}`);

interface Upstream {
  port: number;
  /** Path the proxy polls; an upstream that fails it gets no traffic until it passes again. */
  health: string;
}

export interface ProxyLayout {
  dir: string;
  publicPort: number;
  internalPort: number;
  adminPort: number;
  tls: TlsFiles;
  frontends: Upstream[];
  backends: Upstream[];
}

function upstreamBlock(ups: Upstream[], requestId: string): string {
  const dials = ups.length ? ups.map((u) => `127.0.0.1:${u.port}`).join(" ") : "127.0.0.1:9";
  return `reverse_proxy ${dials} {
			lb_policy round_robin
			# A connection that cannot be made (instance stopping or dead) is retried on another one.
			lb_try_duration 5s
			lb_try_interval 100ms
			# Active checks only: Caddy counts a request whose body it refuses midway (request_body) as a
			# failure of the upstream, so passive checks (fail_duration) would let any client take every
			# instance out of rotation with a few oversized chunked uploads.
			health_uri ${ups[0]?.health ?? "/"}
			health_interval 1s
			health_timeout 2s
			header_up X-Real-IP {remote_host}
			header_up X-Request-Id ${requestId}
			header_up -Forwarded
		}`;
}

/** The Caddyfile for this layout; `without` leaves out (drains) the instances on those ports. */
export function caddyfile(l: ProxyLayout, without: Set<number> = new Set()): string {
  const live = (ups: Upstream[]) => ups.filter((u) => !without.has(u.port));
  const uuid = "{http.request.uuid}";
  return `# generated by tools/prod/src/caddy.ts
{
	admin 127.0.0.1:${l.adminPort}
	auto_https disable_redirects
	skip_install_trust
	storage file_system ${path.join(l.dir, "data")}
	servers {
		protocols h1 h2
	}
	log {
		output stdout
		format json
	}
}

https://localhost:${l.publicPort} {
	tls ${l.tls.serverCert} ${l.tls.serverKey}
	header Strict-Transport-Security "${HSTS}"
	header X-Request-Id ${uuid}
	log {
		output stdout
		format json
	}
	handle_path ${PUBLIC_API_PREFIX}/* {
		${bodyLimitDirectives(BODY_LIMITS.backend, "\t\t")}
		${upstreamBlock(live(l.backends), uuid)}
	}
	handle {
		${bodyLimitDirectives(BODY_LIMITS.frontend, "\t\t")}
		route /api/auth/* {
			${bodyLimitDirectives(BODY_LIMITS.auth, "\t\t\t")}
		}
		${upstreamBlock(live(l.frontends), uuid)}
	}
	${indented(PAYLOAD_TOO_LARGE_ERRORS, "\t")}
}

# The frontends' servers reach the backends here (loopback only). Their request id is kept, so one
# request can be followed from the proxy through a frontend to a backend; one is made when missing.
http://127.0.0.1:${l.internalPort} {
	@noid not header X-Request-Id *
	request_header @noid X-Request-Id ${uuid}
	handle {
		${bodyLimitDirectives(BODY_LIMITS.backend, "\t\t")}
		${upstreamBlock(live(l.backends), "{http.request.header.X-Request-Id}")}
	}
	${indented(PAYLOAD_TOO_LARGE_ERRORS, "\t")}
}
`;
}

export class Caddy {
  private readonly file: string;
  service: Service | null = null;

  constructor(readonly layout: ProxyLayout) {
    this.file = path.join(layout.dir, "Caddyfile");
  }

  get publicUrl(): string {
    return `https://localhost:${this.layout.publicPort}`;
  }

  get internalUrl(): string {
    return `http://127.0.0.1:${this.layout.internalPort}`;
  }

  private write(without?: Set<number>): void {
    fs.mkdirSync(path.join(this.layout.dir, "data"), { recursive: true });
    fs.writeFileSync(this.file, caddyfile(this.layout, without));
  }

  private env(): Record<string, string> {
    // Caddy keeps nothing outside the topology's folder.
    return { HOME: this.layout.dir, XDG_DATA_HOME: path.join(this.layout.dir, "data"), XDG_CONFIG_HOME: path.join(this.layout.dir, "config") };
  }

  async start(opts: { quiet?: boolean } = {}): Promise<void> {
    this.write();
    if (run(CADDY, ["validate", "--config", this.file, "--adapter", "caddyfile"], { env: this.env(), timeoutMs: 30_000 }) !== 0) {
      throw new Error(`caddy refused the generated ${this.file}`);
    }
    this.service = startService("proxy", CADDY, ["run", "--config", this.file, "--adapter", "caddyfile"], { env: this.env(), quiet: opts.quiet });
    await waitForHttp(`http://127.0.0.1:${this.layout.adminPort}/config/`, { timeoutMs: 20_000, service: this.service });
  }

  /** Graceful reload without the instances on `ports` (empty: all back in). Requests in flight finish. */
  reload(without: Set<number> = new Set()): void {
    this.write(without);
    const out = capture(CADDY, ["reload", "--config", this.file, "--adapter", "caddyfile", "--address", `127.0.0.1:${this.layout.adminPort}`], {
      env: this.env(),
      timeoutMs: 30_000,
    });
    if (out === null) throw new Error("caddy reload failed");
  }

  async stop(): Promise<void> {
    await this.service?.stop();
  }
}
