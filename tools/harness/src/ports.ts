// Ports the bench and the fault scenarios are about to listen on must be free: a leftover server would
// answer our readiness checks and be measured instead of the fresh build. Tests that start a server of their
// own take a free port from the system instead.
import { connect, createServer, type AddressInfo } from "node:net";

/** True when something accepts a connection on 127.0.0.1:`port` within a second. */
function isListening(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    s.setTimeout(1_000);
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("timeout", () => (s.destroy(), resolve(false)));
    s.once("error", () => resolve(false));
  });
}

/** Refuses to start when something already listens on one of `ports`. */
export async function assertPortsFree(ports: number[]): Promise<void> {
  for (const port of ports) {
    if (await isListening(port)) throw new Error(`port ${port} is already in use (a leftover server?): stop it and run again`);
  }
}

/** A loopback port nothing listens on now (the system's pick), for a server a test or a check starts itself. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
