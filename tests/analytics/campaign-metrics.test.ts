// Campaign figures over GraphQL: totals with variant and persona breakdowns, timelines, top
// links, the workspace overview against the previous period, and the dashboard page at a
// constant number of SQL statements whatever its size.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { App } from '../../api/app';
import { countStatements, createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { errorCodes, gql, gqlOk } from '../support/graphql-client';
import { AnalyticsDashboardDocument, AnalyticsOverviewDocument, CampaignDashboardDocument, CampaignMetricsDocument, CampaignTimelineDocument } from '../generated/graphql';
import { seedCampaign, seedContacts, seedPersona } from './support/analytics-fixtures';
import { recordEvents, recordStatuses } from './support/simulated-delivery';

let app: App;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const at = (iso: string) => new Date(iso);
const gid = (id: number) => encodeGlobalID('Campaign', String(id));

/** A campaign with two variants and two personas, four messages sent and some engagement. */
async function campaignWithActivity(ws: TestWorkspace, sentAt = at('2026-03-10T09:30:00Z')) {
  const contacts = await seedContacts(ws.ctx, 6);
  const slugs = { vip: `vip-${contacts[0]}`, all: `all-${contacts[0]}` };
  const vip = await seedPersona(ws.ctx, slugs.vip, contacts.slice(0, 2));
  const all = await seedPersona(ws.ctx, slugs.all, contacts);
  const c = await seedCampaign(ws.ctx, { contactIds: contacts, variants: 2, createdAt: new Date(sentAt.getTime() - 3_600_000) });
  const [m1, m2, m3, m4] = c.messageIds;
  await recordStatuses(ws.ctx, [m1, m2, m3, m4].map((id) => ({ id, status: 'SENT' as const, sentAt })));
  await recordStatuses(ws.ctx, [{ id: c.messageIds[4], status: 'SKIPPED', skipReason: 'frequency_cap' }]);
  const later = (min: number) => new Date(sentAt.getTime() + min * 60_000);
  await recordEvents(ws.ctx, [
    { messageId: m1, type: 'open', occurredAt: later(5) },
    { messageId: m1, type: 'click', occurredAt: later(6), url: 'https://shop.example/sale' },
    { messageId: m2, type: 'open', occurredAt: later(65), machine: true },
    { messageId: m3, type: 'open', occurredAt: later(70) },
    { messageId: m3, type: 'conversion', occurredAt: later(90), value: 42.5, dedupeKey: `conversion:${m3}` },
  ]);
  return { ...c, vip, all, slugs };
}

test('Campaign.metrics: totals, rates, variants, personas and top links', async () => {
  const ws = await createTestWorkspace(app);
  const c = await campaignWithActivity(ws);
  const { campaign } = await gqlOk(app, ws.key, CampaignMetricsDocument, { id: gid(c.campaignId) });
  const m = campaign.metrics;
  expect(m).toMatchObject({
    campaignId: gid(c.campaignId), recipients: 6, sent: 4, skipped: 1, skippedFrequencyCap: 1, delivered: 4,
    opened: 2, openedIncludingMachine: 3, opens: 2, opensIncludingMachine: 3, clicked: 1, clicks: 1, conversions: 1, revenue: 42.5,
    openRate: 0.5, openRateIncludingMachine: 0.75, clickRate: 0.25, clickToOpenRate: 0.5, conversionRate: 0.25, bounceRate: 0,
  });
  expect(m.updatedAt).not.toBeNull();
  // Messages were dealt A, B, A, B…: m1 and m3 went with A.
  expect(m.variants.map((v) => [v.name, v.recipients, v.sent, v.opened, v.variant?.name])).toEqual([['A', 3, 2, 2, 'A'], ['B', 3, 2, 0, 'B']]);
  expect(m.personas.map((p) => [p.slug, p.recipients, p.sent, p.opened])).toEqual([[c.slugs.all, 6, 4, 2], [c.slugs.vip, 2, 2, 1]]);
  expect(m.personas[1].persona?.id).toBe(encodeGlobalID('Persona', String(c.vip)));
  expect(campaign.topLinks).toEqual([{ url: 'https://shop.example/sale', clicks: 1, uniqueClicks: 1 }]);
});

test('Campaign.metricsTimeline: hours, and days in the workspace time zone', async () => {
  const ws = await createTestWorkspace(app, { timezone: 'Europe/Paris' });
  const c = await campaignWithActivity(ws, at('2026-03-10T22:30:00Z'));
  const hours = await gqlOk(app, ws.key, CampaignTimelineDocument, { id: gid(c.campaignId), bucket: 'HOUR', from: '2026-03-10T00:00:00Z', to: '2026-03-12T00:00:00Z' });
  expect(hours.campaign.metricsTimeline.map((b) => [b.start, b.recipients, b.sent, b.opened, b.conversions])).toEqual([
    ['2026-03-10T21:00:00.000Z', 6, 0, 0, 0],
    ['2026-03-10T22:00:00.000Z', 0, 4, 1, 0],
    ['2026-03-10T23:00:00.000Z', 0, 0, 1, 0],
    ['2026-03-11T00:00:00.000Z', 0, 0, 0, 1],
  ]);
  // 22:30Z is 23:30 in Paris (10 March); 23:40Z is already 11 March there.
  const days = await gqlOk(app, ws.key, CampaignTimelineDocument, { id: gid(c.campaignId), bucket: 'DAY' });
  expect(days.campaign.metricsTimeline.map((b) => [b.start, b.recipients, b.sent, b.opened, b.conversions])).toEqual([
    ['2026-03-09T23:00:00.000Z', 6, 4, 1, 0],
    ['2026-03-10T23:00:00.000Z', 0, 0, 1, 1],
  ]);
});

test('Campaign.metricsTimeline of one variant, one persona, or both', async () => {
  const ws = await createTestWorkspace(app);
  const c = await campaignWithActivity(ws, at('2026-03-10T22:30:00Z'));
  const timeline = async (slice: { variantId?: string; personaId?: string }) =>
    (await gqlOk(app, ws.key, CampaignTimelineDocument, { id: gid(c.campaignId), bucket: 'HOUR', ...slice })).campaign.metricsTimeline.map((b) => [b.start.slice(11, 16), b.recipients, b.sent, b.opened, b.conversions]);
  const variant = (i: number) => encodeGlobalID('CampaignVariant', String(c.variantIds[i]));
  const vip = encodeGlobalID('Persona', String(c.vip));
  // Messages were dealt A, B, A, B…: m1 and m3 (both opened, m3 converted) went with A; m2 (a machine open) with B.
  expect(await timeline({ variantId: variant(0) })).toEqual([['21:00', 3, 0, 0, 0], ['22:00', 0, 2, 1, 0], ['23:00', 0, 0, 1, 0], ['00:00', 0, 0, 0, 1]]);
  expect(await timeline({ variantId: variant(1) })).toEqual([['21:00', 3, 0, 0, 0], ['22:00', 0, 2, 0, 0], ['23:00', 0, 0, 0, 0]]);
  // The VIP persona holds m1 and m2.
  expect(await timeline({ personaId: vip })).toEqual([['21:00', 2, 0, 0, 0], ['22:00', 0, 2, 1, 0], ['23:00', 0, 0, 0, 0]]);
  expect(await timeline({ personaId: vip, variantId: variant(0) })).toEqual([['21:00', 1, 0, 0, 0], ['22:00', 0, 1, 1, 0]]);
  // The buckets of a slice add up to the campaign's.
  const all = await timeline({});
  const sum = (rows: (string | number)[][], col: number) => rows.reduce((n, r) => n + Number(r[col]), 0);
  for (const col of [1, 2, 3, 4]) expect(sum(await timeline({ variantId: variant(0) }), col) + sum(await timeline({ variantId: variant(1) }), col)).toBe(sum(all, col));

  const wrongType = await gql(app, ws.key, CampaignTimelineDocument, { id: gid(c.campaignId), bucket: 'HOUR', variantId: vip });
  expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
  expect(wrongType.errors![0].message).toContain('expected a CampaignVariant ID');
});

test('analyticsOverview: the period against the previous one, with changes and a timeline', async () => {
  const ws = await createTestWorkspace(app);
  await campaignWithActivity(ws, at('2026-03-03T10:00:00Z')); // previous period
  await campaignWithActivity(ws, at('2026-03-10T10:00:00Z')); // current period
  const c3 = await campaignWithActivity(ws, at('2026-03-11T10:00:00Z'));
  await recordEvents(ws.ctx, [{ messageId: c3.messageIds[3], type: 'open', occurredAt: at('2026-03-11T12:00:00Z') }]);
  const { analyticsOverview: o } = await gqlOk(app, ws.key, AnalyticsOverviewDocument, { from: '2026-03-08T00:00:00Z', to: '2026-03-15T00:00:00Z', bucket: 'DAY' });
  expect(o.current).toMatchObject({ from: '2026-03-08T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z', campaigns: 2, sent: 8, opened: 5, openRate: 5 / 8 });
  expect(o.previous).toMatchObject({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z', campaigns: 1, sent: 4, opened: 2, openRate: 0.5 });
  expect(o.changes.find((x) => x.metric === 'sent')).toEqual({ metric: 'sent', current: 8, previous: 4, change: 4, relativeChange: 1 });
  expect(o.changes.find((x) => x.metric === 'openRate')).toMatchObject({ current: 5 / 8, previous: 0.5, change: 0.125 });
  expect(o.timeline.map((b) => [b.start, b.sent])).toEqual([['2026-03-10T00:00:00.000Z', 4], ['2026-03-11T00:00:00.000Z', 4]]);
});

test('bad ranges are input errors; another workspace sees none of it', async () => {
  const a = await createTestWorkspace(app);
  const b = await createTestWorkspace(app);
  const c = await campaignWithActivity(a);
  const reversed = await gql(app, a.key, AnalyticsOverviewDocument, { from: '2026-03-15T00:00:00Z', to: '2026-03-08T00:00:00Z', bucket: 'DAY' });
  expect(errorCodes(reversed)).toEqual(['BAD_USER_INPUT']);
  const reversedTimeline = await gql(app, a.key, CampaignTimelineDocument, { id: gid(c.campaignId), bucket: 'DAY', from: '2026-03-15T00:00:00Z', to: '2026-03-08T00:00:00Z' });
  expect(errorCodes(reversedTimeline)).toEqual(['BAD_USER_INPUT']);
  expect(reversedTimeline.errors![0]).toMatchObject({ message: expect.stringContaining('`to` must be after `from`'), path: ['campaign', 'metricsTimeline'] });
  const foreign = await gql(app, b.key, CampaignMetricsDocument, { id: gid(c.campaignId) });
  const missing = await gql(app, b.key, CampaignMetricsDocument, { id: gid(999_999_999) });
  expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
  expect(foreign.errors![0].message.replace(gid(c.campaignId), 'X')).toBe(missing.errors![0].message.replace(gid(999_999_999), 'X'));
  const { analyticsOverview } = await gqlOk(app, b.key, AnalyticsOverviewDocument, { from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z', bucket: 'DAY' });
  expect(analyticsOverview.current).toMatchObject({ campaigns: 0, sent: 0, openRate: null });
});

test('the dashboard (campaigns with stats, variants and personas) costs the same statements for 5, 20 or 50 campaigns', async () => {
  const ws = await createTestWorkspace(app);
  for (let i = 0; i < 50; i++) await campaignWithActivity(ws, at(`2026-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`));
  await gqlOk(app, ws.key, AnalyticsDashboardDocument, { first: 1 }); // the key is verified once, then cached
  const counts: Record<number, number> = {};
  for (const first of [5, 20, 50]) {
    const { result, statements } = await countStatements(app, () => gqlOk(app, ws.key, AnalyticsDashboardDocument, { first }));
    const nodes = result.campaigns.edges.map((e) => e.node);
    expect(nodes).toHaveLength(first);
    expect(nodes.every((n) => n.metrics.sent === 4 && n.metrics.variants.length === 2 && n.metrics.personas.length === 2)).toBe(true);
    counts[first] = statements.length;
  }
  expect(counts[5]).toBe(counts[50]);
  expect(counts[20]).toBe(counts[50]);
  // campaigns page, figures (totals, variants, personas), variant rows, persona rows
  expect(counts[50]).toBe(4);
});

test('campaignDashboard: newest first, paged by cursor, two statements a page whatever its size', async () => {
  const ws = await createTestWorkspace(app);
  for (let i = 0; i < 25; i++) await campaignWithActivity(ws, at('2026-03-05T10:00:00Z'));
  await gqlOk(app, ws.key, CampaignDashboardDocument, { first: 1 });
  const counts: number[] = [];
  for (const first of [5, 25]) {
    const { result, statements } = await countStatements(app, () => gqlOk(app, ws.key, CampaignDashboardDocument, { first }));
    expect(result.campaignDashboard.edges).toHaveLength(first);
    expect(result.campaignDashboard.edges.every((e) => e.node.metrics.sent === 4 && e.node.metrics.variants.length === 2 && e.node.metrics.personas.length === 2)).toBe(true);
    counts.push(statements.length);
  }
  expect(counts).toEqual([2, 2]);
  const first = await gqlOk(app, ws.key, CampaignDashboardDocument, { first: 10 });
  const second = await gqlOk(app, ws.key, CampaignDashboardDocument, { first: 10, after: first.campaignDashboard.pageInfo.endCursor });
  const third = await gqlOk(app, ws.key, CampaignDashboardDocument, { first: 10, after: second.campaignDashboard.pageInfo.endCursor });
  const ids = [first, second, third].flatMap((p) => p.campaignDashboard.edges.map((e) => e.node.id));
  expect(new Set(ids).size).toBe(25);
  expect(third.campaignDashboard.pageInfo.hasNextPage).toBe(false);
  // Newest first: the ids were created in order, so they come back descending.
  const numeric = ids.map((id) => Number(Buffer.from(id, 'base64').toString().split(':')[1]));
  expect(numeric).toEqual([...numeric].sort((a, b) => b - a));
});

test('figures read by a query are fresh again as soon as a change is announced', async () => {
  const ws = await createTestWorkspace(app);
  const c = await campaignWithActivity(ws);
  const before = await gqlOk(app, ws.key, CampaignMetricsDocument, { id: gid(c.campaignId) });
  expect(before.campaign.metrics.skipped).toBe(1);
  await recordStatuses(ws.ctx, [{ id: c.messageIds[5], status: 'SKIPPED', skipReason: 'suppressed' }]);
  app.core.events.emit('analytics.rollups.changed', { workspaceId: ws.workspaceId, campaignIds: [c.campaignId] });
  await app.core.bus.idle();
  const after = await gqlOk(app, ws.key, CampaignMetricsDocument, { id: gid(c.campaignId) });
  expect(after.campaign.metrics).toMatchObject({ skipped: 2, skippedSuppressed: 1 });
});

test('Campaign.stats: message states now, and its deprecated figures equal Campaign.metrics', async () => {
  const ws = await createTestWorkspace(app);
  const c = await campaignWithActivity(ws);
  // A click with no open before it: the open is implied (docs/metrics.md), so opened is 3, not 2.
  await recordEvents(ws.ctx, [{ messageId: c.messageIds[3], type: 'click', occurredAt: at('2026-03-10T11:00:00Z'), url: 'https://shop.example/b' }]);
  const same = ['recipients', 'sent', 'delivered', 'opened', 'clicked', 'revenue'];
  const { campaign } = await gqlOk<{ campaign: Record<string, Record<string, unknown>> }>(app, ws.key, `query ($id: ID!) {
    campaign(id: $id) {
      stats { ${same.join(' ')} machineOpened converted complained unsubscribed byStatus { key count } skippedByReason { key count } }
      metrics { ${same.join(' ')} openedIncludingMachine conversions complaints unsubscribes }
    }
  }`, { id: gid(c.campaignId) });
  const { stats, metrics } = campaign;
  for (const f of same) expect([f, stats[f]]).toEqual([f, metrics[f]]);
  expect(stats).toMatchObject({ opened: 3, clicked: 2, machineOpened: 1, converted: 1, complained: metrics.complaints, unsubscribed: metrics.unsubscribes });
  expect(stats.machineOpened).toBe((metrics.openedIncludingMachine as number) - (metrics.opened as number));
  expect(stats.byStatus).toEqual(expect.arrayContaining([{ key: 'SKIPPED', count: 1 }]));
  expect(stats.skippedByReason).toEqual([{ key: 'frequency_cap', count: 1 }]);
});
