// A worker process has no API server; with PERSONAE_WORKER_METRICS_PORT set it serves its
// Prometheus metrics (send rate, provider errors, queue depth…) on that port at /metrics.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppMetrics } from './metrics-registry';

export async function serveWorkerMetrics(metrics: AppMetrics, opts: { host: string; port: number }): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
      return;
    }
    res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' }).end(req.url === '/healthz' ? '{"status":"ok"}' : '{}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
