// Operations: Prometheus metrics at /metrics (latency per route pattern, errors, active
// subscriptions, queue depth, send rate, provider errors) and JSON logs carrying request ids.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Client } from 'graphql-ws';
import type { RunningServer } from '../../api/server';
import { createTestWorkspace, startTestServer, type TestWorkspace } from '../support/test-app';
import { LiveCampaignStatsDocument } from '../generated/graphql';
import { seedCampaign, seedContacts } from '../analytics/support/analytics-fixtures';
import { subscribeSse, subscribeWs, wsClient, pause } from '../analytics/support/subscription-client';
import { createLoggedApp, type LoggedApp } from './support/logged-app';

let logged: LoggedApp;
let server: RunningServer;
let ws: TestWorkspace;
const clients: Client[] = [];

beforeAll(async () => {
  logged = await createLoggedApp();
  server = await startTestServer(logged.app);
  ws = await createTestWorkspace(logged.app);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server.close(1000);
  await logged.app.close();
});

async function scrape(): Promise<string> {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/plain/);
  return res.text();
}

/** The value of a sample, e.g. value(text, 'personae_active_subscriptions{transport="sse",role="api"}'); label order does not matter. */
function value(text: string, series: string): number {
  const parse = (s: string) => {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/.exec(s.trim());
    return { name: m?.[1] ?? '', labels: (m?.[2] ?? '').split(',').filter(Boolean).sort().join(',') };
  };
  const want = parse(series);
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    const got = parse(line.slice(0, cut));
    if (got.name === want.name && got.labels === want.labels) return Number(line.slice(cut + 1));
  }
  return 0;
}

async function graphql(query: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.key}`, ...headers },
    body: JSON.stringify({ query }),
  });
}

test('latency per route pattern, operations and errors by code', async () => {
  await (await graphql('{ workspace { name } }')).json();
  await (await graphql(`{ campaign(id: "${encodeGlobalID('Campaign', '999999999')}") { id } }`)).json();
  await fetch(`${server.url}/t/o/not-a-real-token.gif`).then((r) => r.arrayBuffer());
  const text = await scrape();
  expect(value(text, 'personae_http_request_duration_seconds_count{method="POST",route="/graphql",status="200",role="api"}')).toBeGreaterThanOrEqual(1);
  expect(value(text, 'personae_http_request_duration_seconds_count{method="GET",route="/t/o/:token",status="404",role="api"}')).toBe(1);
  expect(value(text, 'personae_graphql_operations_total{type="query",outcome="ok",role="api"}')).toBeGreaterThanOrEqual(1);
  expect(value(text, 'personae_graphql_errors_total{code="NOT_FOUND",role="api"}')).toBeGreaterThanOrEqual(1);
  // Paths with tokens are labelled by their route pattern (or "other"), never by the raw path.
  expect(text).not.toContain('not-a-real-token');
  expect(text).toMatch(/personae_queue_depth\{queue="messages",state="QUEUED",role="api"\} \d+/);
  expect(text).toMatch(/personae_queue_depth\{queue="jobs",state="QUEUED",role="api"\} \d+/);
  expect(text).toContain('personae_process_cpu_seconds_total');
});

test('active subscriptions go up while subscribed and back down when the client leaves (WebSocket and SSE)', async () => {
  const c = await seedCampaign(ws.ctx, { contactIds: await seedContacts(ws.ctx, 1) });
  const base = await scrape();
  const wsSeries = 'personae_active_subscriptions{transport="websocket",role="api"}';
  const sseSeries = 'personae_active_subscriptions{transport="sse",role="api"}';
  const client = wsClient(server.url, ws.key);
  clients.push(client);
  const a = subscribeWs(client, LiveCampaignStatsDocument, { campaignId: encodeGlobalID('Campaign', String(c.campaignId)) });
  const b = subscribeSse(server.url, ws.key, LiveCampaignStatsDocument, { campaignId: encodeGlobalID('Campaign', String(c.campaignId)) });
  await Promise.all([a.until((r) => !!r.data), b.until((r) => !!r.data)]);
  const during = await scrape();
  expect(value(during, wsSeries)).toBe(value(base, wsSeries) + 1);
  expect(value(during, sseSeries)).toBe(value(base, sseSeries) + 1);
  expect(value(during, 'personae_websocket_connections{role="api"}')).toBeGreaterThanOrEqual(1);
  a.stop();
  b.stop();
  for (let i = 0; i < 50; i++) {
    const after = await scrape();
    if (value(after, wsSeries) === value(base, wsSeries) && value(after, sseSeries) === value(base, sseSeries)) return;
    await pause(100);
  }
  throw new Error('active subscriptions did not come back down');
});

test('send rate and provider errors follow the sender\'s batches', async () => {
  const before = await scrape();
  logged.app.core.events.emit('campaign.batch.sent', { workspaceId: ws.workspaceId, campaignId: 1, sent: 7, failed: 2, renderFailed: 1, skipped: 1, retried: 3 });
  logged.app.core.events.emit('provider.circuit.opened', { workspaceId: ws.workspaceId, integrationId: 0, providerKey: 'outbox', reason: 'test' });
  await logged.app.core.bus.idle();
  const after = await scrape();
  const delta = (s: string) => value(after, s) - value(before, s);
  expect(delta('personae_messages_processed_total{outcome="sent",role="api"}')).toBe(7);
  expect(delta('personae_messages_processed_total{outcome="skipped",role="api"}')).toBe(1);
  expect(delta('personae_messages_processed_total{outcome="failed",role="api"}')).toBe(2);
  // One of the two failures was a template that did not render: ours, not the provider's.
  expect(delta('personae_provider_errors_total{kind="failed",role="api"}')).toBe(1);
  expect(delta('personae_render_failures_total{role="api"}')).toBe(1);
  expect(delta('personae_provider_errors_total{kind="retried",role="api"}')).toBe(3);
  expect(delta('personae_provider_circuit_opened_total{provider="outbox",role="api"}')).toBe(1);
});

test('request ids: kept from the caller or made up, echoed, and on the log lines of the request', async () => {
  const given = await graphql('{ workspace { name } }', { 'x-request-id': 'req-abc-123' });
  expect(given.headers.get('x-request-id')).toBe('req-abc-123');
  const made = await graphql('{ workspace { name } }');
  const id = made.headers.get('x-request-id');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const bogus = await graphql('{ workspace { name } }', { 'x-request-id': 'has spaces and a "quote"' });
  expect(bogus.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const requestLines = logged.lines.filter((l) => l.msg === 'request');
  expect(requestLines).toEqual(expect.arrayContaining([
    expect.objectContaining({ requestId: 'req-abc-123', method: 'POST', path: '/graphql', status: 200, level: 30 }),
    expect.objectContaining({ requestId: id }),
  ]));
  expect(typeof requestLines[0].time).toBe('number');
});
