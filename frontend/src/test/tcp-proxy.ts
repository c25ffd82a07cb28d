// A TCP proxy the tests can cut: `cut()` drops every connection and stops listening (new
// connections are refused, like a stopped database), `restore()` listens again on the same port.
// The TLS session runs end to end through it. Counts the connections it accepted.
import net from "node:net";

export interface TcpProxy {
  port: number;
  accepted: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  const proxy: TcpProxy = { port: 0, accepted: 0, cut, restore, close: cut };
  const server = net.createServer((client) => {
    proxy.accepted++;
    const upstream = net.connect(targetPort, targetHost);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  await listen(0);
  proxy.port = (server.address() as net.AddressInfo).port;

  async function cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    if (server.listening) await closed;
  }
  async function restore(): Promise<void> {
    await listen(proxy.port);
  }
  return proxy;
}
