// The frontend's production entry (deploy/services.json: `node start.mjs`): Next.js's standalone
// server.js from `next build` with output "standalone", started the way every production recipe
// expects. scripts/assemble-standalone.ts copies this file next to server.js as start.mjs.
// - HOST and PORT, as platforms set them. server.js reads HOSTNAME, which Docker sets to the
//   container's id: HOST (default 127.0.0.1; 0.0.0.0 in a container) replaces it.
// - The request id: the proxy's X-Request-Id when it is a plausible one, else a fresh one, on the
//   request Next.js sees (src/server/backend.ts forwards it to the backend), on the answer, and on
//   every log line written while the request runs.
// - LOG_FORMAT=json: every console line as one JSON object, and one access line per request.
// Plain JavaScript on purpose: it runs before anything is compiled, beside server.js. The app's
// own configuration is validated by src/instrumentation.ts as the server starts.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { format } from "node:util";

const HEADER = "x-request-id"; // deploy/services.json "requestIdHeader"
const PLAUSIBLE_ID = /^[A-Za-z0-9._:-]{1,128}$/; // the backend accepts the same (backend/app/http/logs.py)
const json = process.env.LOG_FORMAT === "json";
const requestIds = new AsyncLocalStorage();

process.env.HOSTNAME = process.env.HOST || "127.0.0.1";

function line(level, logger, message, fields = {}) {
  const requestId = requestIds.getStore();
  return `${JSON.stringify({
    time: new Date().toISOString(),
    level,
    logger,
    message,
    ...(requestId ? { request_id: requestId } : {}),
    ...fields,
  })}\n`;
}

if (json) {
  for (const [method, level, stream] of [
    ["log", "info", process.stdout],
    ["info", "info", process.stdout],
    ["debug", "debug", process.stdout],
    ["warn", "warn", process.stderr],
    ["error", "error", process.stderr],
  ]) {
    console[method] = (...args) => stream.write(line(level, "next", format(...args)));
  }
}

function withRequestId(listener) {
  return (req, res) => {
    const sent = req.headers[HEADER];
    const id = typeof sent === "string" && PLAUSIBLE_ID.test(sent) ? sent : randomUUID().replaceAll("-", "");
    req.headers[HEADER] = id;
    res.setHeader(HEADER, id);
    if (json) {
      const started = performance.now();
      res.once("close", () => {
        const path = (req.url ?? "/").split("?")[0]; // never the query: it may carry a token
        const fields = {
          method: req.method,
          path,
          status: res.statusCode,
          duration_ms: Math.round((performance.now() - started) * 100) / 100,
        };
        requestIds.run(id, () => process.stdout.write(line("info", "access", `${req.method} ${path} ${res.statusCode}`, fields)));
      });
    }
    requestIds.run(id, () => listener(req, res));
  };
}

// server.js builds its server with http.createServer(requestListener) (next/dist/server/lib/start-server).
const createServer = http.createServer;
http.createServer = function createServerWithRequestIds(...args) {
  const at = args.findIndex((arg) => typeof arg === "function");
  if (at !== -1) args[at] = withRequestId(args[at]);
  return createServer.apply(this, args);
};

await import("./server.js");
