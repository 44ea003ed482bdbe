// Several processes on one Redis: two API processes and a worker. The worker sends a campaign;
// a subscriber on each API process sees the campaign's figures climb to every recipient and
// its status become SENT — events that only the worker emitted, carried by Redis.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Client } from 'graphql-ws';
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { basicTemplate, manyContacts, seedContacts } from '../campaigns/campaign-fixtures';
import {
  CampaignStatusChangedDocument,
  LiveCampaignStatsDocument,
  type CampaignStatusChangedSubscription,
  type LiveCampaignStatsSubscription,
} from '../generated/graphql';
import { subscribeWs, wsClient, type Received } from '../analytics/support/subscription-client';
import { freePort, privateRedis, type PrivateRedis } from './support/redis-server';
import { startApi, startWorker, type PersonaeProcess } from './support/processes';

jest.setTimeout(180_000);

const RECIPIENTS = 40;
let redis: PrivateRedis;
let app: App;
let ws: TestWorkspace;
const procs: PersonaeProcess[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  redis = privateRedis(await freePort());
  await redis.start();
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await Promise.all(procs.map((p) => p.stop()));
  await app?.close();
  await redis?.stop();
});

test('a worker\'s campaign events reach subscribers on every API process through Redis', async () => {
  await seedContacts(ws.ctx, manyContacts(RECIPIENTS, {}, `mp${Date.now()}-`));
  const tpl = await basicTemplate(ws.ctx);
  const campaign = await createCampaign(ws.ctx, { name: 'Multi-process', from: { email: 'news@example.com' }, variants: [{ templateId: tpl.templateId }] });
  const campaignId = encodeGlobalID('Campaign', String(campaign.id));

  const env = { REDIS_URL: redis.url };
  const apis = await Promise.all([startApi(env), startApi(env)]);
  procs.push(...apis);
  const watchers = apis.map((api) => {
    const client = wsClient(api.url, ws.key);
    clients.push(client);
    return {
      stats: subscribeWs<LiveCampaignStatsSubscription>(client, LiveCampaignStatsDocument, { campaignId }) as Received<LiveCampaignStatsSubscription>,
      status: subscribeWs<CampaignStatusChangedSubscription>(client, CampaignStatusChangedDocument, { campaignId }) as Received<CampaignStatusChangedSubscription>,
    };
  });
  await Promise.all(watchers.map((w) => w.stats.until((r) => r.data?.campaignStats.sent === 0)));

  const launched = await launchCampaign(ws.ctx, campaign.id);
  expect(launched.audienceCount).toBe(RECIPIENTS);
  // Only the worker sends: API processes run no workers, and this test process emits nothing they can see.
  const metricsPort = await freePort();
  procs.push(await startWorker({ ...env, PERSONAE_DELIVERY_WORKSPACE: String(ws.workspaceId), PERSONAE_DELIVERY_POLL_MS: '100', PERSONAE_DELIVERY_TICK_MS: '200',
    // Eight batches of five, one at a time, so the figures have steps to show on the way.
    PERSONAE_DELIVERY_BATCH_SIZE: '5', PERSONAE_DELIVERY_CONCURRENCY: '1', PERSONAE_WORKER_METRICS_PORT: String(metricsPort) }));

  for (const w of watchers) {
    const done = await w.stats.until((r) => r.data?.campaignStats.sent === RECIPIENTS, 90_000);
    expect(done.data!.campaignStats).toMatchObject({ campaignId, sent: RECIPIENTS });
    const sent = await w.status.until((r) => r.data?.campaignStatusChanged.status === 'SENT', 90_000);
    expect(sent.data!.campaignStatusChanged).toMatchObject({ campaignId, previousStatus: 'SENDING', campaign: { id: campaignId, status: 'SENT' } });
    // Figures arrived as they changed, not only at the end: some update showed a partial send.
    const seen = w.stats.results.map((r) => r.data?.campaignStats.sent ?? -1);
    expect(seen.filter((n) => n > 0 && n < RECIPIENTS)).not.toHaveLength(0);
  }
  // The worker reports what it sent on its own metrics port.
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(text).toMatch(new RegExp(`personae_messages_processed_total\\{outcome="sent",role="worker"\\} ${RECIPIENTS}\\b`));
});
