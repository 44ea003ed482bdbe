// Live analytics over a real server: campaignStats (WebSocket and SSE), coalescing, status
// changes, persona membership and workspace activity — each only for the subscriber's
// workspace, with another workspace's ids failing exactly like missing ones. Workspace
// activity is also driven by the real campaign mutations, not only by hand-emitted events.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Client } from 'graphql-ws';
import type { App } from '../../api/app';
import type { RunningServer } from '../../api/server';
import { createTestApp, createTestWorkspace, startTestServer, type TestWorkspace } from '../support/test-app';
import {
  CampaignStatusChangedDocument,
  LiveCampaignStatsDocument,
  PersonaMembershipChangedDocument,
  WorkspaceActivityDocument,
  CancelCampaignDocument,
  LaunchCampaignDocument,
  PauseCampaignDocument,
  ResumeCampaignDocument,
  type LiveCampaignStatsSubscription,
  type CampaignStatusChangedSubscription,
  type PersonaMembershipChangedSubscription,
  type WorkspaceActivitySubscription,
} from '../generated/graphql';
import { seedCampaign, seedContacts, seedPersona } from './support/analytics-fixtures';
import { gqlOk } from '../support/graphql-client';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { basicTemplate } from '../campaigns/campaign-fixtures';
import { recordStatuses } from './support/simulated-delivery';
import { pause, subscribeSse, subscribeWs, wsClient, type Received } from './support/subscription-client';

let app: App;
let server: RunningServer;
let a: TestWorkspace;
let b: TestWorkspace;
const clients: Client[] = [];
const streams: Received<unknown>[] = [];

beforeAll(async () => {
  app = await createTestApp();
  server = await startTestServer(app);
  a = await createTestWorkspace(app);
  b = await createTestWorkspace(app);
});
afterAll(async () => {
  streams.forEach((s) => s.stop());
  await Promise.all(clients.map((c) => c.dispose()));
  await server.close(1000);
  await app.close();
});

function client(key: string): Client {
  const c = wsClient(server.url, key);
  clients.push(c);
  return c;
}
function track<T>(r: Received<T>): Received<T> {
  streams.push(r as Received<unknown>);
  return r;
}
const gid = (type: string, id: number) => encodeGlobalID(type, String(id));

async function sendSome(ws: TestWorkspace, campaign: { campaignId: number; messageIds: string[] }, n: number) {
  await recordStatuses(ws.ctx, campaign.messageIds.slice(0, n).map((id) => ({ id, status: 'SENT' as const, sentAt: new Date() })));
  app.core.events.emit('analytics.rollups.changed', { workspaceId: ws.workspaceId, campaignIds: [campaign.campaignId] });
}

test('campaignStats over WebSocket: the figures at once, then fresh figures after each change', async () => {
  const c = await seedCampaign(a.ctx, { contactIds: await seedContacts(a.ctx, 5), variants: 2 });
  const live = track(subscribeWs<LiveCampaignStatsSubscription>(client(a.key), LiveCampaignStatsDocument, { campaignId: gid('Campaign', c.campaignId) }));
  const first = await live.until((r) => !!r.data);
  expect(first.data!.campaignStats).toMatchObject({ campaignId: gid('Campaign', c.campaignId), sent: 0, variants: [{ name: 'A', sent: 0 }, { name: 'B', sent: 0 }] });

  // Another workspace's event naming this campaign id is not this campaign's change.
  app.core.events.emit('analytics.rollups.changed', { workspaceId: b.workspaceId, campaignIds: [c.campaignId] });
  await sendSome(a, c, 3);
  const next = await live.until((r) => r.data?.campaignStats.sent === 3);
  expect(next.data!.campaignStats.variants).toEqual([{ name: 'A', sent: 2 }, { name: 'B', sent: 1 }]);
  await sendSome(a, c, 5);
  await live.until((r) => r.data?.campaignStats.sent === 5);
});

test('campaignStats is coalesced: a burst of changes gives a couple of updates, the last one current', async () => {
  const c = await seedCampaign(a.ctx, { contactIds: await seedContacts(a.ctx, 4) });
  const live = track(subscribeWs<LiveCampaignStatsSubscription>(client(a.key), LiveCampaignStatsDocument, { campaignId: gid('Campaign', c.campaignId) }));
  await live.until((r) => !!r.data);
  await recordStatuses(a.ctx, c.messageIds.map((id) => ({ id, status: 'SENT' as const, sentAt: new Date() })));
  for (let i = 0; i < 50; i++) app.core.events.emit('message.events.applied', { workspaceId: a.workspaceId, campaignId: c.campaignId, counts: { open: 1 } });
  await live.until((r) => r.data?.campaignStats.sent === 4);
  await pause(1000); // let any trailing update arrive
  const updates = live.results.length - 1;
  expect(updates).toBeGreaterThanOrEqual(1);
  expect(updates).toBeLessThanOrEqual(3);
  expect(live.results.at(-1)!.data!.campaignStats.sent).toBe(4);
});

test('campaignStats of another workspace\'s campaign fails like a missing campaign', async () => {
  const c = await seedCampaign(a.ctx, { contactIds: await seedContacts(a.ctx, 1) });
  const foreign = subscribeWs(client(b.key), LiveCampaignStatsDocument, { campaignId: gid('Campaign', c.campaignId) });
  const missing = subscribeWs(client(b.key), LiveCampaignStatsDocument, { campaignId: gid('Campaign', 999_999_999) });
  const errs = await Promise.all([foreign, missing].map((s) => s.until(() => true).then(() => s.results[0]?.errors ?? null, () => s.error as { message: string; extensions: { code: string } }[])));
  expect(errs[0]![0].extensions!.code).toBe('NOT_FOUND');
  expect(errs[0]![0].message.replace(gid('Campaign', c.campaignId), 'X')).toBe(errs[1]![0].message.replace(gid('Campaign', 999_999_999), 'X'));
});

test('campaignStats over SSE, authenticated by header', async () => {
  const c = await seedCampaign(a.ctx, { contactIds: await seedContacts(a.ctx, 3) });
  const live = track(subscribeSse<LiveCampaignStatsSubscription>(server.url, a.key, LiveCampaignStatsDocument, { campaignId: gid('Campaign', c.campaignId) }));
  await live.until((r) => r.data?.campaignStats.sent === 0);
  await sendSome(a, c, 2);
  await live.until((r) => r.data?.campaignStats.sent === 2);
});

test('campaignStatusChanged and workspaceActivity: own workspace only, the campaign re-read', async () => {
  const c = await seedCampaign(a.ctx, { contactIds: await seedContacts(a.ctx, 2), variants: 2 });
  const other = await seedCampaign(b.ctx, { contactIds: await seedContacts(b.ctx, 1) });
  const status = track(subscribeWs<CampaignStatusChangedSubscription>(client(a.key), CampaignStatusChangedDocument, {}));
  const activity = track(subscribeWs<WorkspaceActivitySubscription>(client(a.key), WorkspaceActivityDocument, {}));
  await pause(300); // let the subscriptions start
  app.core.events.emit('campaign.status.changed', { workspaceId: b.workspaceId, campaignId: other.campaignId, status: 'SENT', previousStatus: 'SENDING' });
  await app.core.db.prisma.campaign.update({ where: { id: c.campaignId }, data: { status: 'SENT' } });
  app.core.events.emit('campaign.status.changed', { workspaceId: a.workspaceId, campaignId: c.campaignId, status: 'SENT', previousStatus: 'SENDING' });
  app.core.events.emit('campaign.ab.decided', { workspaceId: a.workspaceId, campaignId: c.campaignId, winnerVariantId: c.variantIds[1], significant: true });
  app.core.events.emit('provider.circuit.opened', { workspaceId: a.workspaceId, integrationId: 0, providerKey: 'outbox', reason: 'kept failing' });
  app.core.events.emit('provider.circuit.opened', { workspaceId: b.workspaceId, integrationId: 0, providerKey: 'smtp', reason: 'not yours' });

  const s = await status.until((r) => !!r.data);
  expect(s.data!.campaignStatusChanged).toEqual({ campaignId: gid('Campaign', c.campaignId), status: 'SENT', previousStatus: 'SENDING', reason: null, campaign: { id: gid('Campaign', c.campaignId), status: 'SENT' } });
  await activity.until((r) => r.data?.workspaceActivity.kind === 'PROVIDER_CIRCUIT_OPENED');
  expect(activity.results.map((r) => r.data!.workspaceActivity)).toEqual([
    { kind: 'CAMPAIGN_FINISHED', campaignId: gid('Campaign', c.campaignId), campaign: { id: gid('Campaign', c.campaignId), name: 'Spring sale', status: 'SENT' }, reason: null, winnerVariant: null, significant: null, providerKey: null },
    { kind: 'AB_WINNER_CHOSEN', campaignId: gid('Campaign', c.campaignId), campaign: expect.anything(), reason: null, winnerVariant: { id: gid('CampaignVariant', c.variantIds[1]), name: 'B' }, significant: true, providerKey: null },
    { kind: 'PROVIDER_CIRCUIT_OPENED', campaignId: null, campaign: null, reason: 'kept failing', winnerVariant: null, significant: null, providerKey: 'outbox' },
  ]);
  expect(status.results).toHaveLength(1);
});

test('workspaceActivity from the real mutations: launch, pause with a reason, resume, cancel; nothing reaches another workspace', async () => {
  await seedContacts(a.ctx, 3);
  const tpl = await basicTemplate(a.ctx);
  const created = await createCampaign(a.ctx, { name: 'Activity', from: { email: 'news@example.com' }, variants: [{ templateId: tpl.templateId }] });
  const id = gid('Campaign', created.id);
  const mine = track(subscribeWs<WorkspaceActivitySubscription>(client(a.key), WorkspaceActivityDocument, {}));
  const theirs = track(subscribeWs<WorkspaceActivitySubscription>(client(b.key), WorkspaceActivityDocument, {}));
  await pause(300); // let the subscriptions start
  await gqlOk(app, a.key, LaunchCampaignDocument, { id });
  await gqlOk(app, a.key, PauseCampaignDocument, { id, reason: 'copy typo' });
  await gqlOk(app, a.key, ResumeCampaignDocument, { id });
  await gqlOk(app, a.key, CancelCampaignDocument, { id });
  await mine.until((r) => r.data?.workspaceActivity.kind === 'CAMPAIGN_CANCELLED');
  const only = mine.results.map((r) => r.data!.workspaceActivity).filter((x) => x.campaignId === id);
  expect(only.map((x) => [x.kind, x.reason])).toEqual([
    ['CAMPAIGN_STARTED', null], ['CAMPAIGN_PAUSED', 'copy typo'], ['CAMPAIGN_RESUMED', null], ['CAMPAIGN_CANCELLED', null],
  ]);
  // The campaign is re-read through the caller's workspace when each item is delivered.
  expect(only[3].campaign).toEqual({ id, name: 'Activity', status: 'CANCELLED' });
  await pause(200);
  expect(theirs.results.filter((r) => r.data?.workspaceActivity.campaignId === id)).toEqual([]);
});

test('personaMembershipChanged: one persona, re-read; another workspace\'s persona is NOT_FOUND', async () => {
  const p = await seedPersona(a.ctx, `members-${Date.now()}`, await seedContacts(a.ctx, 2));
  const q = await seedPersona(a.ctx, `others-${Date.now()}`, []);
  const changes = track(subscribeWs<PersonaMembershipChangedSubscription>(client(a.key), PersonaMembershipChangedDocument, { personaId: gid('Persona', p) }));
  await pause(300);
  app.core.events.emit('persona.membership.changed', { workspaceId: a.workspaceId, personaId: q, entered: 5, left: 0, size: 5 });
  app.core.events.emit('persona.membership.changed', { workspaceId: a.workspaceId, personaId: p, entered: 2, left: 1, size: 2 });
  const r = await changes.until((x) => !!x.data);
  expect(r.data!.personaMembershipChanged).toMatchObject({ personaId: gid('Persona', p), entered: 2, left: 1, size: 2, persona: { id: gid('Persona', p), memberCount: 2 } });
  expect(changes.results).toHaveLength(1);

  const foreign = subscribeWs(client(b.key), PersonaMembershipChangedDocument, { personaId: gid('Persona', p) });
  const missing = subscribeWs(client(b.key), PersonaMembershipChangedDocument, { personaId: gid('Persona', 999_999_999) });
  const errs = await Promise.all([foreign, missing].map((s) => s.until(() => true).then(() => s.results[0]?.errors ?? null, () => s.error as { message: string; extensions: { code: string } }[])));
  expect(errs[0]![0].extensions!.code).toBe('NOT_FOUND');
  expect(errs[0]![0].message.replace(gid('Persona', p), 'X')).toBe(errs[1]![0].message.replace(gid('Persona', 999_999_999), 'X'));
});

test('live analytics need a key: without one, UNAUTHENTICATED (WebSocket and SSE)', async () => {
  const c = await seedCampaign(a.ctx, { contactIds: await seedContacts(a.ctx, 1) });
  const variables = { campaignId: gid('Campaign', c.campaignId) };
  const anonymous = wsClient(server.url, null);
  clients.push(anonymous);
  const overWs = subscribeWs(anonymous, LiveCampaignStatsDocument, variables);
  const wsResult = await overWs.until(() => true).then(() => overWs.results[0].errors, () => overWs.error as { extensions: { code: string } }[]);
  expect(wsResult![0].extensions!.code).toBe('UNAUTHENTICATED');
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: 'subscription($campaignId: ID!) { campaignStats(campaignId: $campaignId) { sent } }', variables }),
  });
  expect(await res.text()).toContain('UNAUTHENTICATED');
});
