// Prometheus metrics of one process (prom-client), served at /metrics. One registry per app,
// so several apps in one process (tests) do not collide. Counters fed by domain events count
// what this process did (its own bus), so summing across processes is right; the queue
// gauges read the shared database and are the same on every process (use max() on them).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../../core/context';
import type { DomainEventBus } from '../../core/domain-event-bus';
import '../../core/analytics/analytics-events';

export interface AppMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  graphqlOperations: Counter<'type' | 'outcome'>;
  graphqlErrors: Counter<'code'>;
  /** Analytics response cache lookups (hits are answered without executing, so graphqlOperations does not count them). */
  responseCacheLookups: Counter<'result'>;
  activeSubscriptions: Gauge<'transport'>;
  /** Reports open WebSocket connections (set by the HTTP server). */
  observeSockets(count: () => number): void;
  close(): void;
}

const QUEUE_TTL_MS = 5_000;

export function createAppMetrics(args: { core: CoreContext; bus: DomainEventBus; pubsubMode: () => 'redis' | 'local'; role: 'api' | 'worker' }): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ role: args.role });
  collectDefaultMetrics({ register: registry, prefix: 'personae_' });

  const httpDuration = new Histogram({
    name: 'personae_http_request_duration_seconds',
    help: 'HTTP request latency (time to the response head; SSE streams count until they start).',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const graphqlOperations = new Counter({ name: 'personae_graphql_operations_total', help: 'GraphQL operations executed, by type and outcome.', labelNames: ['type', 'outcome'], registers: [registry] });
  const graphqlErrors = new Counter({ name: 'personae_graphql_errors_total', help: 'GraphQL errors returned, by code (INTERNAL_SERVER_ERROR: unexpected).', labelNames: ['code'], registers: [registry] });
  const responseCacheLookups = new Counter({ name: 'personae_graphql_response_cache_lookups_total', help: 'Analytics response cache lookups, by result (hit: answered without executing; miss: executed).', labelNames: ['result'], registers: [registry] });
  const activeSubscriptions = new Gauge({ name: 'personae_active_subscriptions', help: 'GraphQL subscriptions running, by transport.', labelNames: ['transport'], registers: [registry] });
  let sockets: () => number = () => 0;
  new Gauge({ name: 'personae_websocket_connections', help: 'Open graphql-ws connections.', registers: [registry], collect() { this.set(sockets()); } });
  new Gauge({ name: 'personae_pubsub_redis_connected', help: '1 while live events are shared through Redis, 0 when in-process only.', registers: [registry], collect() { this.set(args.pubsubMode() === 'redis' ? 1 : 0); } });

  const processed = new Counter({ name: 'personae_messages_processed_total', help: 'Messages the sender handled in this process, by outcome (rate() = send rate).', labelNames: ['outcome'], registers: [registry] });
  const providerErrors = new Counter({ name: 'personae_provider_errors_total', help: 'Provider failures in this process: failed (permanent or retries exhausted) and retried.', labelNames: ['kind'], registers: [registry] });
  // Not provider errors: a template that cannot render is ours to fix, and must not page whoever watches the provider.
  const renderFailures = new Counter({ name: 'personae_render_failures_total', help: 'Messages that failed to render in this process (template errors; never offered to a provider).', registers: [registry] });
  const circuits = new Counter({ name: 'personae_provider_circuit_opened_total', help: 'Provider circuits opened (campaigns paused).', labelNames: ['provider'], registers: [registry] });
  const messageEvents = new Counter({ name: 'personae_message_events_total', help: 'Message events recorded in this process (webhooks, pixel, clicks, conversions), by type.', labelNames: ['type'], registers: [registry] });
  const offs = [
    args.bus.on('campaign.batch.sent', (e) => {
      processed.inc({ outcome: 'sent' }, e.sent);
      processed.inc({ outcome: 'failed' }, e.failed);
      processed.inc({ outcome: 'skipped' }, e.skipped);
      processed.inc({ outcome: 'retried' }, e.retried);
      providerErrors.inc({ kind: 'failed' }, e.failed - e.renderFailed);
      renderFailures.inc(e.renderFailed);
      providerErrors.inc({ kind: 'retried' }, e.retried);
    }),
    args.bus.on('provider.circuit.opened', (e) => circuits.inc({ provider: e.providerKey })),
    args.bus.on('message.events.applied', (e) => {
      for (const [type, n] of Object.entries(e.counts)) messageEvents.inc({ type }, n ?? 0);
    }),
  ];

  // Queue depth reads the shared database; cached so that frequent scrapes stay cheap.
  let cached: { at: number; rows: { queue: string; state: string; n: number }[] } | null = null;
  const queueRows = async () => {
    if (cached && Date.now() - cached.at < QUEUE_TTL_MS) return cached.rows;
    const [jobs] = await args.core.db.sql.query<RowDataPacket[]>("SELECT status, COUNT(*) AS n FROM jobs WHERE status IN ('QUEUED', 'RUNNING') GROUP BY status");
    const [messages] = await args.core.db.sql.query<RowDataPacket[]>(
      `SELECT m.status, COUNT(*) AS n FROM campaigns c JOIN messages m ON m.campaign_id = c.id
        WHERE c.status IN ('SCHEDULED', 'SENDING', 'ACTIVE', 'PAUSED') AND m.status IN ('QUEUED', 'HELD', 'SENDING', 'DISPATCHING')
        GROUP BY m.status`,
    );
    const rows = [
      ...['QUEUED', 'RUNNING'].map((s) => ({ queue: 'jobs', state: s, n: Number(jobs.find((r) => r.status === s)?.n ?? 0) })),
      ...['QUEUED', 'HELD', 'SENDING', 'DISPATCHING'].map((s) => ({ queue: 'messages', state: s, n: Number(messages.find((r) => r.status === s)?.n ?? 0) })),
    ];
    cached = { at: Date.now(), rows };
    return rows;
  };
  new Gauge({
    name: 'personae_queue_depth',
    help: 'Work waiting in the shared database: jobs (QUEUED, RUNNING) and messages of live campaigns (QUEUED, HELD, SENDING, DISPATCHING).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      try {
        for (const r of await queueRows()) this.set({ queue: r.queue, state: r.state }, r.n);
      } catch (err) {
        args.core.log.warn({ err }, 'queue depth metric unavailable');
      }
    },
  });

  return {
    registry,
    httpDuration,
    graphqlOperations,
    graphqlErrors,
    responseCacheLookups,
    activeSubscriptions,
    observeSockets(count) {
      sockets = count;
    },
    close() {
      offs.forEach((off) => off());
      registry.clear();
    },
  };
}
