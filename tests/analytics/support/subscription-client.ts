// Subscription clients for tests against a real listening server: graphql-ws over WebSocket
// and GraphQL over SSE (graphql-sse's "distinct connections" mode, as yoga serves it).
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { print, type DocumentNode } from 'graphql';

export interface Received<T> {
  /** Every result so far. */
  results: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }[];
  /** Resolves with the first result matching `pred` (waits for it). */
  until(pred: (r: { data?: T | null }) => boolean, timeoutMs?: number): Promise<{ data?: T | null }>;
  /** Set when the operation failed (graphql-ws error message, or a close). */
  error: unknown;
  stop(): void;
}

function tracker<T>(): Received<T> & { push(r: Received<T>['results'][number]): void; fail(e: unknown): void } {
  const waiters: { pred: (r: { data?: T | null }) => boolean; resolve: (r: { data?: T | null }) => void; reject: (e: unknown) => void }[] = [];
  const rec = {
    results: [] as Received<T>['results'],
    error: null as unknown,
    stop: () => {},
    push(r: Received<T>['results'][number]) {
      rec.results.push(r);
      for (const w of [...waiters]) if (w.pred(r)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(r); }
    },
    fail(e: unknown) {
      rec.error = e;
      for (const w of waiters.splice(0)) w.reject(e);
    },
    until(pred: (r: { data?: T | null }) => boolean, timeoutMs = 15_000) {
      const hit = rec.results.find(pred);
      if (hit) return Promise.resolve(hit);
      if (rec.error) return Promise.reject(rec.error);
      return new Promise<{ data?: T | null }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching result within ${timeoutMs} ms; got ${JSON.stringify(rec.results).slice(0, 2000)}`)), timeoutMs);
        waiters.push({ pred, resolve: (r) => { clearTimeout(timer); resolve(r); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      });
    },
  };
  return rec;
}

/** A graphql-ws client authenticated with `key` in connection_init. */
export function wsClient(url: string, key: string | null, opts: { retryAttempts?: number } = {}): Client {
  return createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: opts.retryAttempts ?? 0,
    retryWait: async () => new Promise((r) => setTimeout(r, 200)),
    shouldRetry: () => true,
    lazy: true,
  });
}

/** Subscribes over WebSocket and records what arrives. */
export function subscribeWs<T>(client: Client, document: DocumentNode, variables: Record<string, unknown> = {}): Received<T> {
  const rec = tracker<T>();
  rec.stop = client.subscribe({ query: print(document), variables }, {
    next: (r) => rec.push(r as never),
    error: (e) => rec.fail(e),
    complete: () => {},
  });
  return rec;
}

/** Subscribes over SSE (Accept: text/event-stream, key in the Authorization header). */
export function subscribeSse<T>(baseUrl: string, key: string, document: DocumentNode, variables: Record<string, unknown> = {}): Received<T> {
  const rec = tracker<T>();
  const abort = new AbortController();
  rec.stop = () => abort.abort();
  void (async () => {
    try {
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: print(document), variables }),
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += Buffer.from(value!).toString();
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (data && block.includes('event: next')) rec.push(JSON.parse(data));
          else if (data && !block.includes('event:')) rec.push(JSON.parse(data));
        }
      }
    } catch (err) {
      if (!abort.signal.aborted) rec.fail(err);
    }
  })();
  return rec;
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
