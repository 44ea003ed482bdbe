// The rollup writer's contract, on the real database: counters move with the transaction that
// records what they count, unique counters count a message once, replays count nothing,
// gauges (uncertain) move back out, and a rebuild from the raw rows gives identical rollups.
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { withSqlTransaction } from '../../core/db/sql-helpers';
import { rollupHeldRelease } from '../../core/analytics/rollup-writer';
import { rebuildCampaignRollups } from '../../core/analytics/rollup-rebuild';
import { campaignTotals, personaBreakdown, topLinks, variantBreakdown } from '../../core/analytics/campaign-stats';
import { ratesOf, deliveredOf } from '../../core/analytics/metric-definitions';
import { rollupSnapshot, seedCampaign, seedContacts, seedPersona } from './support/analytics-fixtures';
import { recordEvents, recordStatuses, type SimEvent } from './support/simulated-delivery';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());

const at = (iso: string) => new Date(iso);
const totals = async (campaignId: number) => (await campaignTotals(ws.ctx, [campaignId])).get(campaignId)!.counts;

test('recipients count at creation per variant and persona; the held remainder moves to the winner', async () => {
  const contacts = await seedContacts(ws.ctx, 10);
  const vip = await seedPersona(ws.ctx, 'vip', contacts.slice(0, 4));
  const c = await seedCampaign(ws.ctx, { contactIds: contacts, variants: 2, held: 4 });

  expect((await totals(c.campaignId)).recipients).toBe(10);
  const before = (await variantBreakdown(ws.ctx, [c.campaignId])).get(c.campaignId)!;
  expect(before.map((v) => [v.name, v.counts.recipients])).toEqual([['A', 3], ['B', 3]]);
  expect((await personaBreakdown(ws.ctx, [c.campaignId])).get(c.campaignId)!.map((p) => [p.personaId, p.counts.recipients])).toEqual([[vip, 4]]);

  await withSqlTransaction(app.core.db.sql, async (conn) => {
    await rollupHeldRelease(conn, { campaignId: c.campaignId, variantId: c.variantIds[1] });
    await conn.query("UPDATE messages SET variant_id = ?, status = 'QUEUED' WHERE campaign_id = ? AND status = 'HELD'", [c.variantIds[1], c.campaignId]);
  });
  const after = (await variantBreakdown(ws.ctx, [c.campaignId])).get(c.campaignId)!;
  expect(after.map((v) => [v.name, v.counts.recipients])).toEqual([['A', 3], ['B', 7]]);
  expect((await totals(c.campaignId)).recipients).toBe(10);
});

test('worker outcomes: sent once, failures and skips with their reasons, uncertain moves back out when settled', async () => {
  const contacts = await seedContacts(ws.ctx, 6);
  const c = await seedCampaign(ws.ctx, { contactIds: contacts });
  const [m1, m2, m3, m4, m5, m6] = c.messageIds;
  await recordStatuses(ws.ctx, [
    { id: m1, status: 'SENT', sentAt: at('2026-03-01T10:05:00Z') },
    { id: m2, status: 'FAILED' },
    { id: m3, status: 'SKIPPED', skipReason: 'frequency_cap' },
    { id: m4, status: 'SKIPPED', skipReason: 'suppressed' },
    { id: m5, status: 'UNCERTAIN' },
  ]);
  let t = await totals(c.campaignId);
  expect(t).toMatchObject({ sent: 1, failed: 1, skipped: 2, skippedFrequency: 1, skippedSuppressed: 1, uncertain: 1 });

  // The late outcome of the uncertain message, and a repeated acceptance of m1, change only what they should.
  await recordStatuses(ws.ctx, [
    { id: m5, status: 'SENT', sentAt: at('2026-03-01T10:06:00Z') },
    { id: m1, status: 'SENT', sentAt: at('2026-03-01T11:00:00Z') },
    { id: m6, status: 'SKIPPED', skipReason: 'not_consenting' },
  ]);
  t = await totals(c.campaignId);
  expect(t).toMatchObject({ sent: 2, failed: 1, skipped: 3, skippedFrequency: 1, skippedSuppressed: 1, uncertain: 0 });
});

test('events: uniques once, totals every time, machine opens apart, a click implies an open, the first bounce classifies, replays count nothing', async () => {
  const contacts = await seedContacts(ws.ctx, 4);
  const c = await seedCampaign(ws.ctx, { contactIds: contacts });
  const [m1, m2, m3, m4] = c.messageIds;
  await recordStatuses(ws.ctx, c.messageIds.map((id) => ({ id, status: 'SENT' as const, sentAt: at('2026-03-01T10:00:00Z') })));
  const batch: SimEvent[] = [
    { messageId: m1, type: 'delivered', occurredAt: at('2026-03-01T10:01:00Z'), dedupeKey: 'sg:1' },
    { messageId: m1, type: 'open', occurredAt: at('2026-03-01T10:02:00Z'), machine: true },
    { messageId: m1, type: 'open', occurredAt: at('2026-03-01T11:30:00Z') },
    { messageId: m1, type: 'open', occurredAt: at('2026-03-01T11:31:00Z') },
    { messageId: m2, type: 'click', occurredAt: at('2026-03-01T12:00:00Z'), url: 'https://shop.example/a' },
    { messageId: m2, type: 'click', occurredAt: at('2026-03-01T12:01:00Z'), url: 'https://shop.example/a' },
    { messageId: m2, type: 'click', occurredAt: at('2026-03-01T12:02:00Z'), url: 'https://shop.example/b' },
    { messageId: m2, type: 'click', occurredAt: at('2026-03-01T12:03:00Z'), url: 'https://shop.example/a', machine: true },
    { messageId: m2, type: 'conversion', occurredAt: at('2026-03-01T13:00:00Z'), value: 19.99, dedupeKey: 'conversion:1' },
    { messageId: m2, type: 'conversion', occurredAt: at('2026-03-01T13:10:00Z'), value: 0.02, dedupeKey: 'conversion:2' },
    { messageId: m3, type: 'bounce', occurredAt: at('2026-03-01T10:03:00Z'), bounceClass: 'soft', dedupeKey: 'sg:2' },
    { messageId: m3, type: 'bounce', occurredAt: at('2026-03-01T10:04:00Z'), bounceClass: 'hard', dedupeKey: 'sg:3' },
    { messageId: m4, type: 'spamreport', occurredAt: at('2026-03-01T14:00:00Z'), dedupeKey: 'sg:4' },
    { messageId: m4, type: 'unsubscribe', occurredAt: at('2026-03-01T14:00:00Z'), dedupeKey: 'unsubscribe:4' },
  ];
  expect(await recordEvents(ws.ctx, batch)).toBe(batch.length);
  const expected = {
    deliveryConfirmed: 1, opened: 2, openedAny: 2, opens: 2, opensAny: 3, clicked: 1, clicks: 3, conversions: 1, revenue: 20.01,
    bounced: 1, bouncedSoft: 1, bouncedHard: 0, complaints: 1, unsubscribes: 1,
  };
  expect(await totals(c.campaignId)).toMatchObject(expected);

  // The provider delivers the same webhook again: deduped events insert nothing and count nothing.
  expect(await recordEvents(ws.ctx, batch.filter((e) => e.dedupeKey))).toBe(0);
  expect(await totals(c.campaignId)).toMatchObject(expected);

  const counts = await totals(c.campaignId);
  expect(deliveredOf(counts)).toBe(3);
  expect(ratesOf(counts)).toMatchObject({ openRate: 2 / 3, clickRate: 1 / 3, clickToOpenRate: 1 / 2, bounceRate: 1 / 4 });

  const links = (await topLinks(ws.ctx, [c.campaignId], 10)).get(c.campaignId)!;
  expect(links).toEqual([
    { campaignId: c.campaignId, url: 'https://shop.example/a', clicks: 2, uniqueClicks: 1 },
    { campaignId: c.campaignId, url: 'https://shop.example/b', clicks: 1, uniqueClicks: 1 },
  ]);
});

test('rebuilding from the raw rows gives identical rollups', async () => {
  const contacts = await seedContacts(ws.ctx, 30);
  await seedPersona(ws.ctx, 'early', contacts.slice(0, 12));
  await seedPersona(ws.ctx, 'late', contacts.slice(8, 30));
  const c = await seedCampaign(ws.ctx, { contactIds: contacts, variants: 3, held: 6 });
  await withSqlTransaction(app.core.db.sql, async (conn) => {
    await rollupHeldRelease(conn, { campaignId: c.campaignId, variantId: c.variantIds[2] });
    await conn.query("UPDATE messages SET variant_id = ?, status = 'QUEUED' WHERE campaign_id = ? AND status = 'HELD'", [c.variantIds[2], c.campaignId]);
  });
  const ids = c.messageIds;
  await recordStatuses(ws.ctx, ids.slice(0, 24).map((id, i) => ({ id, status: i % 7 === 0 ? ('UNCERTAIN' as const) : ('SENT' as const), sentAt: i % 7 ? at(`2026-03-0${1 + (i % 3)}T0${i % 10}:15:00Z`) : undefined })));
  await recordStatuses(ws.ctx, [
    { id: ids[24], status: 'SKIPPED', skipReason: 'frequency_interval' },
    { id: ids[25], status: 'SKIPPED', skipReason: 'suppressed' },
    { id: ids[26], status: 'FAILED' },
    { id: ids[7], status: 'SENT', sentAt: at('2026-03-02T09:00:00Z') },
  ]);
  const events: SimEvent[] = [];
  ids.slice(0, 24).forEach((id, i) => {
    if (i === 21) return; // stays UNCERTAIN
    const t = at(`2026-03-0${1 + (i % 3)}T1${i % 10}:${String(i).padStart(2, '0')}:00Z`);
    if (i % 2 === 0) events.push({ messageId: id, type: 'delivered', occurredAt: t, dedupeKey: `d:${id}` });
    if (i % 3 === 0) events.push({ messageId: id, type: 'open', occurredAt: t, machine: i % 6 === 0 });
    if (i % 4 === 0) events.push({ messageId: id, type: 'open', occurredAt: new Date(t.getTime() + 3_600_000) });
    if (i % 5 === 0) events.push({ messageId: id, type: 'click', occurredAt: new Date(t.getTime() + 7_200_000), url: `https://shop.example/p${i % 2}` });
    if (i % 10 === 0) events.push({ messageId: id, type: 'conversion', occurredAt: new Date(t.getTime() + 9_000_000), value: 12.5 + i, dedupeKey: `conv:${id}` });
    if (i === 9) events.push({ messageId: id, type: 'bounce', occurredAt: t, bounceClass: 'hard', dedupeKey: `b:${id}` });
    if (i === 11) events.push({ messageId: id, type: 'dropped', occurredAt: t, dedupeKey: `x:${id}` });
    if (i === 13) events.push({ messageId: id, type: 'spamreport', occurredAt: t, dedupeKey: `s:${id}` });
  });
  // In several deliveries, with one replayed.
  for (let i = 0; i < events.length; i += 7) await recordEvents(ws.ctx, events.slice(i, i + 7));
  await recordEvents(ws.ctx, events.slice(0, 7));

  const incremental = await rollupSnapshot(ws.ctx, c.campaignId);
  expect(incremental.counters.length).toBeGreaterThan(10);
  await rebuildCampaignRollups(app.core, { workspaceId: ws.workspaceId, campaignId: c.campaignId });
  const rebuilt = await rollupSnapshot(ws.ctx, c.campaignId);
  expect(rebuilt).toEqual(incremental);
});
