// Redis going away and coming back, with a real redis-server this test starts and stops:
// queries and mutations keep working, subscriptions keep receiving this process's events
// (with one warning logged), and events from other processes flow again once Redis returns.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Client } from 'graphql-ws';
import type { RunningServer } from '../../api/server';
import { createPubSubBridge, type PubSubHandle } from '../../api/pubsub-bridge';
import { DomainEventBus } from '../../core/domain-event-bus';
import { createLogger } from '../../core/logger';
import { createTestWorkspace, startTestServer, type TestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { CreateContactDocument, LiveCampaignStatsDocument, type LiveCampaignStatsSubscription } from '../generated/graphql';
import { seedCampaign, seedContacts } from '../analytics/support/analytics-fixtures';
import { recordStatuses } from '../analytics/support/simulated-delivery';
import { subscribeWs, wsClient, type Received } from '../analytics/support/subscription-client';
import { createLoggedApp, type LoggedApp } from './support/logged-app';
import { freePort, privateRedis, type PrivateRedis } from './support/redis-server';

jest.setTimeout(60_000);

let redis: PrivateRedis;
let logged: LoggedApp;
let server: RunningServer;
let elsewhere: { bus: DomainEventBus; bridge: PubSubHandle };
let ws: TestWorkspace;
let client: Client;

beforeAll(async () => {
  redis = privateRedis(await freePort());
  await redis.start();
  logged = await createLoggedApp({ REDIS_URL: redis.url });
  server = await startTestServer(logged.app);
  // "Another process": its own bus and bridge; only Redis connects it to the app.
  const bus = new DomainEventBus(createLogger({ level: 'silent' }));
  elsewhere = { bus, bridge: createPubSubBridge({ bus, redisUrl: redis.url, log: createLogger({ level: 'silent' }) }) };
  ws = await createTestWorkspace(logged.app);
  client = wsClient(server.url, ws.key);
});
afterAll(async () => {
  await client?.dispose();
  await server?.close(1000);
  await logged?.app.close();
  await elsewhere?.bridge.close();
  await redis?.stop();
});

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('Redis stops: queries, mutations and local events go on with a warning; it returns: events cross processes again', async () => {
  await until('both processes to use Redis', () => logged.app.pubsub.mode() === 'redis' && elsewhere.bridge.mode() === 'redis');
  const c = await seedCampaign(ws.ctx, { contactIds: await seedContacts(ws.ctx, 6) });
  const live: Received<LiveCampaignStatsSubscription> = subscribeWs(client, LiveCampaignStatsDocument, { campaignId: encodeGlobalID('Campaign', String(c.campaignId)) });
  await live.until((r) => r.data?.campaignStats.sent === 0);
  let sent = 0;
  const sendOne = async (from: DomainEventBus) => {
    sent++;
    await recordStatuses(ws.ctx, [{ id: c.messageIds[sent - 1], status: 'SENT', sentAt: new Date() }]);
    from.emit('analytics.rollups.changed', { workspaceId: ws.workspaceId, campaignIds: [c.campaignId] });
    const expected = sent;
    await live.until((r) => r.data?.campaignStats.sent === expected);
  };

  await sendOne(elsewhere.bus); // through Redis

  await redis.stop();
  await until('the app to fall back to in-process events', () => logged.app.pubsub.mode() === 'local');
  const warnings = logged.lines.filter((l) => l.level === 40 && String(l.msg).includes('Redis is unreachable'));
  expect(warnings).toHaveLength(1);

  // The API keeps serving queries and mutations (the rate limiter falls back to memory).
  const { workspace } = await gqlOk<{ workspace: { name: string } }>(logged.app, ws.key, '{ workspace { name } }');
  expect(workspace.name).toBeTruthy();
  const created = await gqlOk(logged.app, ws.key, CreateContactDocument, { input: { email: `during-outage-${Date.now()}@example.com` } });
  expect(created.createContact.id).toBeTruthy();
  // Events of this process still reach its subscribers.
  await sendOne(logged.app.core.bus);

  await redis.start();
  await until('the app to use Redis again', () => logged.app.pubsub.mode() === 'redis' && elsewhere.bridge.mode() === 'redis');
  expect(logged.lines.some((l) => l.level === 30 && String(l.msg).includes('Redis is back'))).toBe(true);
  await sendOne(elsewhere.bus); // through Redis again
  await sendOne(logged.app.core.bus);
  expect(live.error).toBeNull();
  expect(logged.lines.filter((l) => l.level === 40 && String(l.msg).includes('Redis is unreachable'))).toHaveLength(1);
});
