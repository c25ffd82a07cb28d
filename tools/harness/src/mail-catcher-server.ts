// The mail catcher process that startMailCatcher (mail-catcher.ts) runs: maildev, started through its
// programmatic API, with a guard in front of its web inbox so that no other web origin can read or delete
// the mail. maildev answers every origin with credentials (it echoes `Origin` in
// Access-Control-Allow-Origin, and socket.io takes WebSockets from anywhere), and has no option to change
// that; why a guard in this process rather than a proxy or another catcher: docs/decisions/0006-mail-inbox-guard.md.
//
//   node --import tsx tools/harness/src/mail-catcher-server.ts --smtp 1025 --web 1080 [--mail-directory DIR]
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { parseArgs } from "node:util";
import { MailDev } from "maildev";

/** Why a request may not reach the inbox, or null when it may: the inbox's own origin and non-browser clients pass. */
function refusal(headers: IncomingMessage["headers"], port: number): string | null {
  // DNS rebinding: a page on a name that resolves to 127.0.0.1 is "same origin" with itself, but sends its own Host.
  const host = headers.host ?? "";
  if (![`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`].includes(host.toLowerCase())) return `Host ${host || "(none)"} is not this inbox`;
  // Browsers send Origin with every cross-origin request, CORS preflights and WebSocket handshakes included
  // (Node's fetch, curl and the test suites send none). "null" (sandboxed frames, file://) is another origin too.
  const origin = headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`) return `Origin ${origin} is not this inbox`;
  // Requests without Origin from other sites (images, frames, links): the inbox is for the developer's own tab.
  // A same-site page (another localhost port) may link to the inbox, not embed or load it.
  const site = headers["sec-fetch-site"];
  if (site === "cross-site" || (site === "same-site" && headers["sec-fetch-dest"] !== "document")) return `Sec-Fetch-Site ${site} is not this inbox`;
  return null;
}

/**
 * Puts `refusal` in front of every request and WebSocket upgrade that `server` (maildev's HTTP server:
 * Fastify's handler, wrapped by socket.io) would handle, the way socket.io itself takes over a server's
 * listeners. Runs right after `listen` resolves, before any connection can have been read (that takes an
 * I/O turn of the event loop; only promise continuations run in between).
 */
function guard(server: Server, port: number): void {
  const onRequest = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  const onUpgrade = server.listeners("upgrade") as ((req: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
  server.removeAllListeners("request").removeAllListeners("upgrade");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const why = refusal(req.headers, port);
    if (why === null) return onRequest.forEach((l) => l.call(server, req, res));
    res.writeHead(403, { "content-type": "text/plain; charset=utf-8" }).end(`403: the mail inbox answers only its own page and non-browser clients (${why})\n`);
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (refusal(req.headers, port) === null) return onUpgrade.forEach((l) => l.call(server, req, socket, head));
    socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { smtp: { type: "string" }, web: { type: "string" }, "mail-directory": { type: "string" } } });
  const smtp = Number(values.smtp);
  const web = Number(values.web);
  if (!Number.isInteger(smtp) || !Number.isInteger(web) || smtp <= 0 || web <= 0) throw new Error("usage: mail-catcher-server.ts --smtp PORT --web PORT [--mail-directory DIR]");
  // Loopback only, and one address: Fastify binds a second server (without socket.io or this guard) for "localhost".
  const maildev = new MailDev({ smtp, ip: "127.0.0.1", web, webIp: "127.0.0.1", mailDirectory: values["mail-directory"], maxEmails: 2000, silent: true });
  const servers = await maildev.start();
  if (!servers.api) throw new Error("maildev started without its web inbox");
  guard(servers.api.server.server, web);
  const stop = () => void maildev.stop().finally(() => process.exit(0));
  process.once("SIGTERM", stop).once("SIGINT", stop);
}

main().catch((err: unknown) => {
  console.error(`mail catcher: ${(err as Error).message}`);
  process.exit(1);
});
