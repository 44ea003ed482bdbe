// N graphql-ws clients (one WebSocket each) subscribed to one campaign's figures. Every update
// carries `updatedAt`, when the newest counter change it includes was written (rollup rows'
// NOW(3), the same clock as ours): latency = receipt − updatedAt, counted once per client per
// distinct figures, from the first change after `arm()`.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';

const QUERY = 'subscription($id: ID!) { campaignStats(campaignId: $id) { sent updatedAt } }';

export interface Subscribers {
  /** Starts counting (updates before are the initial figures). */
  arm(): void;
  latencies(): number[];
  /** Highest `sent` any client has seen. */
  maxSent(): number;
  close(): Promise<void>;
}

/** Subscribers in this process. */
export async function connectLocalSubscribers(args: { url: string; key: string; campaignId: string; count: number }): Promise<Subscribers> {
  const clients: Client[] = [];
  const samples: number[] = [];
  let armedAt = Infinity;
  let maxSent = 0;
  let ready = 0;
  const firstUpdates: Promise<void>[] = [];
  for (let i = 0; i < args.count; i++) {
    const client = createClient({ url: args.url.replace(/^http/, 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${args.key}` }, retryAttempts: 0 });
    clients.push(client);
    const seen = new Set<string>();
    firstUpdates.push(
      new Promise<void>((resolve, reject) => {
        client.subscribe<{ campaignStats: { sent: number; updatedAt: string | null } }>({ query: QUERY, variables: { id: args.campaignId } }, {
          next: (r) => {
            const now = Date.now();
            const s = r.data?.campaignStats;
            if (!s) return reject(new Error(JSON.stringify(r.errors)));
            if (seen.size === 0 && !seen.has('initial')) {
              seen.add('initial');
              ready++;
              resolve();
            }
            maxSent = Math.max(maxSent, s.sent);
            if (!s.updatedAt || seen.has(s.updatedAt)) return;
            seen.add(s.updatedAt);
            const changedAt = Date.parse(s.updatedAt);
            if (changedAt >= armedAt) samples.push(now - changedAt);
          },
          error: reject,
          complete: () => {},
        });
      }),
    );
    // Open sockets in waves so the server is not handed 1,000 handshakes at once.
    if (i % 100 === 99) await Promise.all(firstUpdates.slice(-100));
  }
  await Promise.all(firstUpdates);
  if (ready !== args.count) throw new Error(`only ${ready} of ${args.count} subscribers started`);
  return {
    arm: () => void (armedAt = Date.now()),
    latencies: () => samples,
    maxSent: () => maxSent,
    close: async () => void (await Promise.all(clients.map((c) => c.dispose()))),
  };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Subscribers spread over `processes` child processes (see subscriber-process.ts). */
export async function connectSubscribers(args: { url: string; key: string; campaignId: string; count: number; processes?: number }): Promise<Subscribers> {
  const n = Math.max(1, Math.min(args.processes ?? 2, args.count));
  const children: ChildProcess[] = [];
  const maxSent = new Map<ChildProcess, number>();
  for (let i = 0; i < n; i++) {
    const count = Math.floor(args.count / n) + (i < args.count % n ? 1 : 0);
    const child = fork(path.join(__dirname, 'subscriber-process.ts'), [args.url, args.key, args.campaignId, String(count)], { execArgv: ['--require', 'tsx/cjs'] });
    children.push(child);
    child.on('message', (m: { type: string; value?: number }) => {
      if (m.type === 'maxSent') maxSent.set(child, m.value ?? 0);
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (m: { type: string }) => (m.type === 'ready' ? resolve() : reject(new Error(JSON.stringify(m)))));
      child.once('exit', (code) => reject(new Error(`subscriber process exited with ${code}`)));
    });
  }
  const poll = setInterval(() => children.forEach((c) => c.send({ type: 'maxSent' })), 100);
  let reports: { latencies: number[]; maxSent: number }[] = [];
  return {
    arm: () => children.forEach((c) => c.send({ type: 'arm' })),
    latencies: () => reports.flatMap((r) => r.latencies),
    maxSent: () => Math.max(0, ...maxSent.values(), ...reports.map((r) => r.maxSent)),
    async close() {
      clearInterval(poll);
      reports = await Promise.all(
        children.map((c) => new Promise<{ latencies: number[]; maxSent: number }>((resolve) => {
          c.on('message', (m: { type: string; latencies?: number[]; maxSent?: number }) => m.type === 'report' && resolve({ latencies: m.latencies!, maxSent: m.maxSent! }));
          c.send({ type: 'report' });
        })),
      );
    },
  };
}
