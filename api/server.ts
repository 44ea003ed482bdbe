// The HTTP server: yoga (GraphQL over HTTP and SSE, routes) and graphql-ws on one port,
// with graceful shutdown: stop accepting, end subscriptions, let in-flight requests finish.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './app';
import { attachWebSocket } from './websocket';

export interface RunningServer {
  url: string;
  port: number;
  server: http.Server;
  /** Graceful stop: waits up to `timeoutMs` for in-flight requests, then cuts the rest. */
  close(timeoutMs?: number): Promise<void>;
}

export async function listen(app: App, opts: { host: string; port: number }): Promise<RunningServer> {
  const server = http.createServer(app.yoga);
  const inFlight = new Set<http.ServerResponse>();
  const streams = new Set<http.ServerResponse>();
  server.on('request', (req, res) => {
    const isStream = (req.headers.accept ?? '').includes('text/event-stream');
    (isStream ? streams : inFlight).add(res);
    res.on('close', () => {
      inFlight.delete(res);
      streams.delete(res);
    });
  });
  const ws = attachWebSocket(server, app.yoga, app.authenticator);
  app.metrics.observeSockets(() => ws.wss.clients.size);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close(timeoutMs = 10_000) {
      closing ??= (async () => {
        app.ready = false;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Subscriptions never finish on their own: end them so clients reconnect elsewhere.
        for (const res of streams) res.end();
        await ws.dispose();
        server.closeIdleConnections();
        const deadline = Date.now() + timeoutMs;
        while (inFlight.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
