// A TCP proxy on loopback in front of Redis, to take Redis away from one app only: the apps
// that connect through it lose it on `cut()`, the ones connected directly keep it. Stopping
// redis-server (redis-server.ts) would cut every process at once.
import net from 'node:net';

export interface CuttableProxy {
  /** redis://127.0.0.1:<proxy port> */
  url: string;
  /** Drops every open connection and every new one until `restore()`, like a Redis that went away. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function cuttableProxy(target: { host?: string; port: number }): Promise<CuttableProxy> {
  const open = new Set<net.Socket>();
  let isCut = false;
  const server = net.createServer((client) => {
    // Accepted then closed at once: the client sees a connection lost, and keeps retrying.
    if (isCut) return void client.destroy();
    const upstream = net.connect(target.port, target.host ?? '127.0.0.1');
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      open.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        open.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      isCut = true;
      for (const s of open) s.destroy();
    },
    restore() {
      isCut = false;
    },
    async close() {
      isCut = true;
      for (const s of open) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
