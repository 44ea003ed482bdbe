// Features are computed from behaviour strictly before the cutoff and labels from the horizon
// after it: nothing from the future reaches a training row.
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { trackEvents, type TrackEventInput } from '../../core/events/track-events';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import { upsertContacts } from '../../core/contacts/contact-upsert';
import { defineModelTarget } from '../../core/models/model-targets';
import { buildFeatureSpec } from '../../core/models/feature-spec';
import { extractFeatures } from '../../core/models/feature-extraction';
import { loadSnapshot } from '../../core/models/training-population';
import { buildDataset } from '../../core/models/dataset';
import { insertEmailEvents } from './support/email-events';

const DAY = 86_400_000;
let app: App;
let ws: TestWorkspace;
const cutoff = new Date(Math.floor(Date.now() / DAY) * DAY - 100 * DAY);
const at = (days: number) => new Date(cutoff.getTime() + days * DAY);

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app);
});

async function track(events: TrackEventInput[]) {
  const r = await trackEvents(ws.ctx, { events, source: 'test' });
  expect(r.rejected).toEqual([]);
}

async function idOf(externalId: string): Promise<number> {
  const c = await app.core.db.prisma.contact.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, externalId } });
  return c.id;
}

test('features as of a cutoff are unchanged by anything that happens at or after it', async () => {
  await track([
    { type: 'purchase', externalId: 'a', occurredAt: at(-40), value: 50 },
    { type: 'purchase', externalId: 'a', occurredAt: at(-5), value: 30 },
    { type: 'page_view', externalId: 'a', occurredAt: at(-1) },
  ]);
  const target = await defineModelTarget(ws.ctx, { kind: 'PURCHASE', horizonDays: 30 });
  const spec = await buildFeatureSpec(ws.ctx, { target });
  const a = await idOf('a');
  const before = await extractFeatures(ws.ctx, { spec, cutoff, contactIds: [a] });

  // The future: a big purchase exactly at the cutoff, a burst of activity after it.
  await track([
    { type: 'purchase', externalId: 'a', occurredAt: cutoff, value: 1000 },
    { type: 'purchase', externalId: 'a', occurredAt: at(3), value: 5000 },
    ...Array.from({ length: 20 }, (_, i) => ({ type: 'page_view', externalId: 'a', occurredAt: at(1 + i) })),
  ]);
  const after = await extractFeatures(ws.ctx, { spec, cutoff, contactIds: [a] });
  expect(Array.from(after.features.values)).toEqual(Array.from(before.features.values));

  const f = (name: string) => after.features.values[after.features.featureNames.indexOf(name)];
  expect(f('purchases_total')).toBeCloseTo(Math.log1p(2), 6);
  expect(f('revenue_total')).toBeCloseTo(Math.log1p(80), 5);
  expect(f('events_total')).toBeCloseTo(Math.log1p(3), 6);
  expect(f('recency_days')).toBeCloseTo(Math.log1p(1), 6);
  expect(f('purchase_recency_days')).toBeCloseTo(Math.log1p(5), 6);
  expect(f('avg_order_value')).toBeCloseTo(Math.log1p(40), 5);

  // The same contact one day later sees the purchase at the old cutoff.
  const later = await extractFeatures(ws.ctx, { spec, cutoff: at(1), contactIds: [a] });
  expect(later.features.values[later.features.featureNames.indexOf('purchases_total')]).toBeCloseTo(Math.log1p(3), 6);
});

test('labels come from [cutoff, cutoff + horizon) and the population is who was known by the cutoff', async () => {
  await track([
    { type: 'purchase', externalId: 'buys-again', occurredAt: at(-10), value: 10 },
    { type: 'purchase', externalId: 'buys-again', occurredAt: at(29.9), value: 10 },
    { type: 'purchase', externalId: 'buys-too-late', occurredAt: at(-10), value: 10 },
    { type: 'purchase', externalId: 'buys-too-late', occurredAt: at(30), value: 10 },
    { type: 'purchase', externalId: 'buys-at-cutoff', occurredAt: at(-3), value: 10 },
    { type: 'purchase', externalId: 'buys-at-cutoff', occurredAt: cutoff, value: 10 },
    { type: 'page_view', externalId: 'only-browses', occurredAt: at(-200) },
    { type: 'page_view', externalId: 'only-browses', occurredAt: at(5) },
    { type: 'purchase', externalId: 'new-after-cutoff', occurredAt: at(2), value: 10 },
  ]);
  const target = await defineModelTarget(ws.ctx, { kind: 'PURCHASE', horizonDays: 30 });
  const snap = await loadSnapshot(ws.ctx, { target, cutoff, lookbackDays: 365, engagement: false });
  const label = new Map(snap.contactIds.map((id, i) => [id, snap.labels[i]]));
  expect(label.get(await idOf('buys-again'))).toBe(1);
  expect(label.get(await idOf('buys-too-late'))).toBe(0);
  expect(label.get(await idOf('buys-at-cutoff'))).toBe(1);
  expect(label.get(await idOf('only-browses'))).toBe(0);
  // Created (by its first event) after the cutoff: not a training row at all.
  expect(label.has(await idOf('new-after-cutoff'))).toBe(false);
  expect(snap.positives).toBe(2);

  const churn = await defineModelTarget(ws.ctx, { kind: 'CHURN', horizonDays: 30 });
  const churnSnap = await loadSnapshot(ws.ctx, { target: churn, cutoff, lookbackDays: 365, engagement: false });
  const churned = new Map(churnSnap.contactIds.map((id, i) => [id, churnSnap.labels[i]]));
  expect(churned.get(await idOf('buys-again'))).toBe(0);
  expect(churned.get(await idOf('buys-too-late'))).toBe(1); // nothing in [cutoff, cutoff + 30d)
  expect(churned.get(await idOf('only-browses'))).toBe(0);
});

test('a user-defined target counts only events of its type that match every property filter', async () => {
  await track([
    { type: 'page_view', externalId: 'pro', occurredAt: at(-20) },
    { type: 'upgrade', externalId: 'pro', occurredAt: at(-15), properties: { plan: 'pro', seats: 8 } },
    { type: 'upgrade', externalId: 'pro', occurredAt: at(4), properties: { plan: 'pro', seats: 12 } },
    { type: 'page_view', externalId: 'basic', occurredAt: at(-20) },
    { type: 'upgrade', externalId: 'basic', occurredAt: at(4), properties: { plan: 'basic', seats: 12 } },
    { type: 'page_view', externalId: 'few-seats', occurredAt: at(-20) },
    { type: 'upgrade', externalId: 'few-seats', occurredAt: at(4), properties: { plan: 'pro', seats: 2 } },
  ]);
  const target = await defineModelTarget(ws.ctx, {
    key: 'team-pro-upgrade',
    kind: 'EVENT',
    eventType: 'upgrade',
    horizonDays: 14,
    propertyFilters: [{ property: 'plan', op: 'EQ', value: 'pro' }, { property: 'seats', op: 'GTE', value: 5 }],
  });
  const spec = await buildFeatureSpec(ws.ctx, { target });
  const data = await buildDataset(ws.ctx, { target, spec, cutoff });
  const row = async (ext: string) => data.contactIds.indexOf(await idOf(ext));
  expect(data.labels[await row('pro')]).toBe(1);
  expect(data.labels[await row('basic')]).toBe(0);
  expect(data.labels[await row('few-seats')]).toBe(0);
  // The target's own history is a feature, with the same filters, and only before the cutoff.
  const col = data.features.featureNames.indexOf('target_events_total');
  expect(col).toBeGreaterThan(-1);
  expect(data.features.values[(await row('pro')) * data.features.cols + col]).toBeCloseTo(Math.log1p(1), 6);
  expect(data.features.values[(await row('basic')) * data.features.cols + col]).toBe(0);
});

test('opted-in attributes are encoded: numbers with a missing flag, enums one-hot, booleans 0/1', async () => {
  await defineAttribute(ws.ctx, { key: 'age', type: 'NUMBER' });
  await defineAttribute(ws.ctx, { key: 'tier', type: 'ENUM', enumValues: ['gold', 'silver'] });
  await defineAttribute(ws.ctx, { key: 'vip', type: 'BOOLEAN' });
  await defineAttribute(ws.ctx, { key: 'nickname', type: 'STRING' });
  await upsertContacts(ws.ctx, { contacts: [{ email: 'x@example.com', attributes: { age: 41, tier: 'silver', vip: true } }, { email: 'y@example.com' }], key: 'email', source: 'test', onInvalid: 'reject' });
  const target = await defineModelTarget(ws.ctx, { kind: 'PURCHASE', horizonDays: 30 });
  await expect(buildFeatureSpec(ws.ctx, { target, attributes: ['nickname', 'shoe_size'] })).rejects.toMatchObject({
    code: 'BAD_USER_INPUT',
    issues: [{ path: ['attributes', 0], message: expect.stringMatching(/free text/) }, { path: ['attributes', 1], message: expect.stringMatching(/not defined/) }],
  });
  const spec = await buildFeatureSpec(ws.ctx, { target, attributes: ['age', 'tier', 'vip'] });
  const ids = (await app.core.db.prisma.contact.findMany({ where: { workspaceId: ws.workspaceId }, orderBy: { email: 'asc' } })).map((c) => c.id);
  const { features } = await extractFeatures(ws.ctx, { spec, cutoff: new Date(), contactIds: ids });
  const names = features.featureNames.slice(-5);
  expect(names).toEqual(['attr_age', 'attr_age_missing', 'attr_tier=gold', 'attr_tier=silver', 'attr_vip']);
  expect(Array.from(features.values.slice(features.cols - 5, features.cols))).toEqual([41, 0, 0, 1, 1]);
  expect(Array.from(features.values.slice(2 * features.cols - 5))).toEqual([0, 1, 0, 0, 0]);
});

test('OPEN targets and engagement features read message_events, without machine opens', async () => {
  await track([
    { type: 'page_view', externalId: 'reader', occurredAt: at(-50) },
    { type: 'page_view', externalId: 'bot-only', occurredAt: at(-50) },
  ]);
  const reader = await idOf('reader');
  const bot = await idOf('bot-only');
  await insertEmailEvents(ws.ctx, [
    { contactId: reader, type: 'open', at: at(-20) },
    { contactId: reader, type: 'open', at: at(-3) },
    { contactId: reader, type: 'click', at: at(-3) },
    { contactId: reader, type: 'open', at: at(6) },
    { contactId: bot, type: 'open', at: at(-2), machine: true },
    { contactId: bot, type: 'open', at: at(6), machine: true },
  ]);
  const target = await defineModelTarget(ws.ctx, { kind: 'OPEN', horizonDays: 14 });
  const spec = await buildFeatureSpec(ws.ctx, { target });
  expect(spec.engagement).toBe(true);
  const data = await buildDataset(ws.ctx, { target, spec, cutoff });
  const row = (id: number) => data.contactIds.indexOf(id);
  expect(data.labels[row(reader)]).toBe(1);
  expect(data.labels[row(bot)]).toBe(0); // a prefetch is not an open
  const f = (id: number, name: string) => data.features.values[row(id) * data.features.cols + data.features.featureNames.indexOf(name)];
  expect(f(reader, 'opens_30d')).toBeCloseTo(Math.log1p(2), 6); // the open after the cutoff is a label, not a feature
  expect(f(reader, 'clicks_30d')).toBeCloseTo(Math.log1p(1), 6);
  expect(f(reader, 'open_recency_days')).toBeCloseTo(Math.log1p(3), 6);
  expect(f(bot, 'opens_total')).toBe(0);
});
