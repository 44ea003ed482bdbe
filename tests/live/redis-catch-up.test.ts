// Catch-up after a Redis outage of one process. App A loses Redis alone (a proxy between it
// and Redis is cut) while app B, the "other process", sends part of a campaign, records opens
// and pauses it: B's events go through Redis and never reach A. When A's Redis returns, its
// subscribers get the figures and the status as they are now, with no event published after
// the restoration (the catch-up comes from A's local `pubsub.resynced` alone), and outages in
// which nothing changed invent no status change: neither of a campaign it watches by id nor,
// workspace-wide, of a campaign created after the stream's first read and since cancelled.
import { encodeGlobalID } from '@pothos/plugin-relay';
import Redis from 'ioredis';
import type { Client } from 'graphql-ws';
import type { App } from '../../api/app';
import type { RunningServer } from '../../api/server';
import { createTestApp, createTestWorkspace, startTestServer, type TestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { applyMessageEvents } from '../../core/delivery/message-events';
import { claimBatch, markDispatching } from '../../core/delivery/message-claim';
import { recordOutcomes } from '../../core/delivery/send-outcomes';
import { DEFAULT_BACKOFF } from '../../core/delivery/backoff';
import {
  CampaignStatusChangedDocument,
  CancelCampaignDocument,
  LiveCampaignStatsDocument,
  PauseCampaignDocument,
  ResumeCampaignDocument,
  type CampaignStatusChangedSubscription,
  type LiveCampaignStatsSubscription,
} from '../generated/graphql';
import { seedCampaign, seedContacts } from '../analytics/support/analytics-fixtures';
import { subscribeWs, wsClient } from '../analytics/support/subscription-client';
import { createLoggedApp, type LoggedApp } from './support/logged-app';
import { cuttableProxy, type CuttableProxy } from './support/cuttable-proxy';
import { freePort, privateRedis, type PrivateRedis } from './support/redis-server';

jest.setTimeout(60_000);

/** How long A may take to catch up once Redis is reachable again (ioredis retries at most every 2 s). */
const CATCH_UP_MS = 8_000;

let redis: PrivateRedis;
let proxy: CuttableProxy;
let a: LoggedApp;
let server: RunningServer;
let b: App;
let ws: TestWorkspace;
let client: Client;
let tap: Redis;
/** Every event published on Redis, and every domain event of A, with when it was seen. */
const published: { where: 'redis' | 'A'; name: string; at: number }[] = [];

beforeAll(async () => {
  redis = privateRedis(await freePort());
  await redis.start();
  proxy = await cuttableProxy({ port: redis.port });
  a = await createLoggedApp({ REDIS_URL: proxy.url });
  server = await startTestServer(a.app);
  b = await createTestApp({ env: { REDIS_URL: redis.url } });
  ws = await createTestWorkspace(b);
  client = wsClient(server.url, ws.key);
  // Sees what any process publishes on Redis (it is never cut), whatever the channel names.
  tap = new Redis(redis.url);
  tap.on('pmessage', (_pattern: string, channel: string) => published.push({ where: 'redis', name: channel, at: Date.now() }));
  await tap.psubscribe('*');
  a.app.core.bus.onAny((name) => void published.push({ where: 'A', name, at: Date.now() }));
});
afterAll(async () => {
  await client?.dispose();
  await server?.close(1000);
  await a?.app.close();
  await b?.close();
  tap?.disconnect();
  await proxy?.close();
  await redis?.stop();
});

async function until(what: string, fn: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Takes A's Redis away and waits until A has noticed. */
async function cutA(): Promise<void> {
  proxy.cut();
  await until('A to fall back to in-process events', () => a.app.pubsub.mode() === 'local');
}

/** Gives A its Redis back and waits until A uses it (and so has announced the resync). */
async function restoreA(): Promise<void> {
  proxy.restore();
  await until('A to use Redis again', () => a.app.pubsub.mode() === 'redis', CATCH_UP_MS);
}

/** B's worker sends `n` messages (the real claim and outcome code), then webhooks report an open for `opens` of them. */
async function sendOnB(campaignId: number, n: number, opens: number): Promise<void> {
  const owner = 'process-b';
  const { ids } = await claimBatch(b.core, { campaignId, owner, limit: n, leaseMs: 60_000, throttles: [] });
  expect(ids).toHaveLength(n);
  await markDispatching(b.core, { campaignId, ids, owner, leaseMs: 60_000 });
  await recordOutcomes(b.core, { owner, ids, attempts: ids.map(() => 1), outcomes: ids.map((id) => ({ status: 'accepted', providerMessageId: `p-${id}` })), policy: DEFAULT_BACKOFF });
  const occurredAt = new Date();
  await applyMessageEvents(b.core, ws.workspaceId, ids.slice(0, opens).map((messageId) => ({ messageId, type: 'open', occurredAt, source: 'webhook:test', dedupeKey: `test:open:${messageId}` })));
}

const statusOf = (r: { data?: CampaignStatusChangedSubscription | null }) => r.data?.campaignStatusChanged;
const changesOf = (rec: { results: { data?: CampaignStatusChangedSubscription | null }[] }) =>
  rec.results.map((r) => [statusOf(r)?.campaignId, statusOf(r)?.previousStatus, statusOf(r)?.status, statusOf(r)?.reason]);

test('after a Redis outage of its own, a process catches up on the figures and status another process changed meanwhile', async () => {
  await until('both apps to share events through Redis', () => a.app.pubsub.mode() === 'redis' && b.pubsub.mode() === 'redis');
  // Workspace-wide, as a dashboard would subscribe.
  const all = subscribeWs<CampaignStatusChangedSubscription>(client, CampaignStatusChangedDocument, {});
  const c = await seedCampaign(ws.ctx, { contactIds: await seedContacts(ws.ctx, 6) });
  const campaignId = encodeGlobalID('Campaign', String(c.campaignId));
  const stats = subscribeWs<LiveCampaignStatsSubscription>(client, LiveCampaignStatsDocument, { campaignId });
  const status = subscribeWs<CampaignStatusChangedSubscription>(client, CampaignStatusChangedDocument, { campaignId });
  await stats.until((r) => r.data?.campaignStats.sent === 0);

  // Before the outage B's changes reach A through Redis; after these A's subscriber knows SENDING.
  await gqlOk(b, ws.key, PauseCampaignDocument, { id: campaignId, reason: 'before the outage' });
  await status.until((r) => statusOf(r)?.status === 'PAUSED');
  await gqlOk(b, ws.key, ResumeCampaignDocument, { id: campaignId });
  await status.until((r) => statusOf(r)?.status === 'SENDING');

  await cutA();
  const cutAt = Date.now();
  await sendOnB(c.campaignId, 3, 2);
  await gqlOk(b, ws.key, PauseCampaignDocument, { id: campaignId, reason: 'paused by B during the outage' });
  await b.core.bus.idle();
  // B's events did go out through Redis (A, cut off, did not get them).
  const onRedis = () => new Set(published.filter((e) => e.where === 'redis' && e.at >= cutAt).map((e) => e.name.replace(/^.*:/, '')));
  await until("B's events on Redis", () => ['analytics.rollups.changed', 'message.events.applied', 'campaign.status.changed'].every((t) => onRedis().has(t)));
  expect(a.app.pubsub.mode()).toBe('local');
  const seen = { stats: stats.results.length, status: status.results.length };

  proxy.restore();
  const restoredAt = Date.now();
  const fresh = await stats.until((r) => r.data?.campaignStats.sent === 3, CATCH_UP_MS);
  expect(fresh.data!.campaignStats).toMatchObject({ campaignId, sent: 3, opened: 2 });
  const caughtUp = await status.until((r) => statusOf(r)?.reason === 'paused by B during the outage', CATCH_UP_MS);
  expect(statusOf(caughtUp)).toEqual({ campaignId, status: 'PAUSED', previousStatus: 'SENDING', reason: 'paused by B during the outage', campaign: { id: campaignId, status: 'PAUSED' } });
  // The workspace-wide stream catches up too (so its first read, which resyncs wait for, is done).
  await all.until((r) => statusOf(r)?.reason === 'paused by B during the outage', CATCH_UP_MS);
  expect(Date.now() - restoredAt).toBeLessThan(CATCH_UP_MS);
  // Nothing was published after the restoration, by B or by A: the catch-up came from the resync alone.
  expect(published.filter((e) => e.at >= restoredAt)).toEqual([]);
  expect(stats.results.slice(seen.stats).filter((r) => r.errors)).toEqual([]);
  expect(status.results.slice(seen.status)).toHaveLength(1);

  // A second outage in which nothing changed: the figures are re-sent, no status change is made up.
  await cutA();
  let ticks = stats.results.length;
  await restoreA();
  await until("the resync's tick", () => stats.results.length > ticks, CATCH_UP_MS);
  expect(stats.results.at(-1)!.data!.campaignStats).toMatchObject({ sent: 3, opened: 2 });
  // A change after both resyncs fences the stream: anything the second one made up would come before it.
  await gqlOk(b, ws.key, ResumeCampaignDocument, { id: campaignId });
  await status.until((r) => statusOf(r)?.status === 'SENDING' && statusOf(r)?.previousStatus === 'PAUSED' && status.results.indexOf(r as never) > seen.status);
  const seenByBoth = [
    [campaignId, 'SENDING', 'PAUSED', 'before the outage'],
    [campaignId, 'PAUSED', 'SENDING', null],
    [campaignId, 'SENDING', 'PAUSED', 'paused by B during the outage'],
    [campaignId, 'PAUSED', 'SENDING', null],
  ];
  expect(changesOf(status)).toEqual(seenByBoth);

  // A campaign newer than the workspace-wide stream's first read, paused then cancelled (final)
  // live; then a third outage in which nothing changed: the stream must not take it for a new
  // draft (DRAFT → CANCELLED).
  const other = await seedCampaign(ws.ctx, { contactIds: await seedContacts(ws.ctx, 1, 'other') });
  const otherId = encodeGlobalID('Campaign', String(other.campaignId));
  await gqlOk(b, ws.key, PauseCampaignDocument, { id: otherId, reason: 'other' });
  await gqlOk(b, ws.key, CancelCampaignDocument, { id: otherId });
  await all.until((r) => statusOf(r)?.campaignId === otherId && statusOf(r)?.status === 'CANCELLED');
  await cutA();
  ticks = stats.results.length;
  await restoreA();
  await until("the resync's tick", () => stats.results.length > ticks, CATCH_UP_MS);
  await gqlOk(b, ws.key, PauseCampaignDocument, { id: campaignId, reason: 'fence' });
  await Promise.all([status, all].map((rec) => rec.until((r) => statusOf(r)?.reason === 'fence')));
  const fence = [campaignId, 'SENDING', 'PAUSED', 'fence'];
  expect(changesOf(all)).toEqual([...seenByBoth, [otherId, 'SENDING', 'PAUSED', 'other'], [otherId, 'PAUSED', 'CANCELLED', null], fence]);
  expect(changesOf(status)).toEqual([...seenByBoth, fence]);

  expect(a.lines.filter((l) => String(l.msg).startsWith('pubsub resynced'))).toHaveLength(3);
  for (const rec of [stats, status, all]) expect(rec.error).toBeNull();
});
