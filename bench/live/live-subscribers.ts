// N graphql-ws clients (one WebSocket each) subscribed to one campaign's figures. Each client
// records, for every payload with a new `updatedAt`, when it arrived. Two latencies come out
// of that (see change-log.ts for what a change and its time are):
// - per change: for every change written after `arm()` and every client, receipt of the first
//   payload that includes it (`updatedAt` ≥ its time) − its write time. This is "latency from a
//   counter change to receipt"; it includes any wait in the coalescing window.
// - per update (freshness): for every payload, receipt − `updatedAt` (its newest change). What
//   earlier versions of this bench reported; it hides the waits of older changes folded in.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { subscribeRaw, type NextPayload } from './ws-protocol-client';

const QUERY = 'subscription($id: ID!) { campaignStats(campaignId: $id) { sent updatedAt } }';

export interface LatencyReport {
  perChange: number[];
  perUpdate: number[];
  /** Changes some client never received a payload for (before close). */
  missed: number;
  /** Payloads with new figures, summed over clients. */
  updates: number;
  maxSent: number;
}

export interface Subscribers {
  /** The subscriber processes. */
  pids: number[];
  /** Starts counting (updates before are the initial figures). */
  arm(): void;
  /** Highest `sent` any client has seen. */
  maxSent(): number;
  /** Latencies of the given changes (write times, ascending), then closes every client. */
  close(changes: number[]): Promise<LatencyReport>;
}

/** Per client: arrival time and `updatedAt` of each payload with new figures, in arrival order. */
type Receipts = { at: number; updatedAt: number }[];

export function latencies(receipts: Receipts[], changes: number[], armedAt: number): LatencyReport {
  const out: LatencyReport = { perChange: [], perUpdate: [], missed: 0, updates: 0, maxSent: 0 };
  for (const list of receipts) {
    let i = 0;
    let newest = -Infinity;
    for (const r of list) {
      if (r.updatedAt >= armedAt) out.perUpdate.push(r.at - r.updatedAt);
      out.updates++;
      newest = Math.max(newest, r.updatedAt);
      // Every change up to `newest` not yet received arrived with this payload.
      while (i < changes.length && changes[i] <= newest) out.perChange.push(r.at - changes[i++]);
    }
    out.missed += changes.length - i;
  }
  return out;
}

/** Which client the subscribers use: graphql-ws's, or the bench's minimal one (ws-protocol-client.ts). */
export type SubscriberClient = 'graphql-ws' | 'lean';

/** The `--client` option, checked. */
export function subscriberClient(value: string | undefined): SubscriberClient {
  if (value === 'lean' || value === 'graphql-ws') return value;
  throw new Error(`--client: lean or graphql-ws, not ${value}`);
}

type Next = (r: NextPayload<{ campaignStats: { sent: number; updatedAt: string | null } }>) => void;

/** Opens one subscription of QUERY on its own socket; returns what closes it. */
function openSubscription(kind: SubscriberClient, args: { url: string; key: string; campaignId: string }, next: Next, error: (err: unknown) => void): () => Promise<void> {
  const url = args.url.replace(/^http/, 'ws') + '/graphql';
  const authorization = `Bearer ${args.key}`;
  if (kind === 'lean') {
    const sub = subscribeRaw({ url, authorization, query: QUERY, variables: { id: args.campaignId }, next, error });
    return sub.close;
  }
  const client: Client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization }, retryAttempts: 0 });
  client.subscribe({ query: QUERY, variables: { id: args.campaignId } }, { next: next as never, error, complete: () => {} });
  return async () => void (await client.dispose());
}

/** Subscribers in this process. */
export async function connectLocalSubscribers(args: { url: string; key: string; campaignId: string; count: number; client: SubscriberClient }) {
  const disposers: (() => Promise<void>)[] = [];
  const receipts: Receipts[] = [];
  let armedAt = Infinity;
  let maxSent = 0;
  const firstUpdates: Promise<void>[] = [];
  for (let i = 0; i < args.count; i++) {
    const mine: Receipts = [];
    receipts.push(mine);
    let last: string | null | undefined;
    firstUpdates.push(
      new Promise<void>((resolve, reject) => {
        disposers.push(
          openSubscription(args.client, args, (r) => {
            const now = Date.now();
            const s = r.data?.campaignStats;
            if (!s) return reject(new Error(JSON.stringify(r.errors)));
            resolve();
            maxSent = Math.max(maxSent, s.sent);
            if (s.updatedAt === last) return;
            last = s.updatedAt;
            if (armedAt !== Infinity && s.updatedAt) mine.push({ at: now, updatedAt: Date.parse(s.updatedAt) });
          }, reject),
        );
      }),
    );
    // Open sockets in waves so the server is not handed 1,000 handshakes at once.
    if (i % 100 === 99) await Promise.all(firstUpdates.slice(-100));
  }
  await Promise.all(firstUpdates);
  return {
    arm: () => void (armedAt = Date.now()),
    maxSent: () => maxSent,
    report: (changes: number[]) => ({ ...latencies(receipts, changes, armedAt), maxSent }),
    close: async () => void (await Promise.all(disposers.map((d) => d()))),
  };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Subscribers spread over `processes` child processes (see subscriber-process.ts).
 * BENCH_SUBSCRIBER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles them, as
 * BENCH_API_NODE_ARGS does the API process (bench-processes.ts).
 */
export async function connectSubscribers(args: { url: string; key: string; campaignId: string; count: number; processes?: number; client: SubscriberClient }): Promise<Subscribers> {
  const n = Math.max(1, Math.min(args.processes ?? 2, args.count));
  const children: ChildProcess[] = [];
  const maxSent = new Map<ChildProcess, number>();
  for (let i = 0; i < n; i++) {
    const count = Math.floor(args.count / n) + (i < args.count % n ? 1 : 0);
    const child = fork(path.join(__dirname, 'subscriber-process.ts'), [args.url, args.key, args.campaignId, String(count), args.client], { execArgv: [...(process.env.BENCH_SUBSCRIBER_NODE_ARGS ?? '').split(' ').filter(Boolean), '--require', 'tsx/cjs'] });
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
  return {
    pids: children.map((c) => c.pid!),
    arm: () => children.forEach((c) => c.send({ type: 'arm' })),
    maxSent: () => Math.max(0, ...maxSent.values()),
    async close(changes) {
      clearInterval(poll);
      const reports = await Promise.all(
        children.map((c) => new Promise<LatencyReport>((resolve, reject) => {
          if (c.exitCode !== null || c.signalCode !== null) return reject(new Error(`a subscriber process ended early (${c.exitCode ?? c.signalCode})`));
          c.once('close', (code, signal) => reject(new Error(`a subscriber process ended before reporting (${code ?? signal})`)));
          c.on('message', (m: { type: string; report?: LatencyReport }) => m.type === 'report' && resolve(m.report!));
          c.send({ type: 'report', changes });
        })),
      );
      return {
        perChange: reports.flatMap((r) => r.perChange),
        perUpdate: reports.flatMap((r) => r.perUpdate),
        missed: reports.reduce((s, r) => s + r.missed, 0),
        updates: reports.reduce((s, r) => s + r.updates, 0),
        maxSent: Math.max(0, ...reports.map((r) => r.maxSent)),
      };
    },
  };
}
