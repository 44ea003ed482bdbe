// Every feature value, checked against values computed here in plain TypeScript from the raw
// rows (not by the SQL under test), through each way features are read: the workspace walk
// in pages (scoring), explicit ids (explanations) and the training dataset. Another
// workspace's contacts are interleaved by id so pages and ranges must not pick them up.
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { trackEvents, type TrackEventInput } from '../../core/events/track-events';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import { defineModelTarget } from '../../core/models/model-targets';
import { buildFeatureSpec, featureNames, type FeatureSpec } from '../../core/models/feature-spec';
import { extractFeatures, workspaceFeatures, type ContactFeatures } from '../../core/models/feature-extraction';
import { buildDataset } from '../../core/models/dataset';
import { mulberry32 } from '../../core/random/seeded-random';
import { insertEmailEvents } from './support/email-events';

const DAY = 86_400_000;
let app: App;
let ws: TestWorkspace;
let other: TestWorkspace;
const cutoff = new Date(Math.floor(Date.now() / DAY) * DAY - 50 * DAY + 13 * 3_600_000);
const at = (days: number) => new Date(cutoff.getTime() + days * DAY);

interface Ev { type: string; at: Date; value?: number; plan?: string }
interface Mail { type: 'open' | 'click'; at: Date; machine: boolean }
interface Person { id: number; createdAt: Date; events: Ev[]; mails: Mail[]; age?: number; tier?: string }

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app);
  other = await createTestWorkspace(app);
});

/** Seeded people with events before, at, after the cutoff and at the edges of each window. */
async function seed(): Promise<Person[]> {
  const rnd = mulberry32(3);
  const people: Person[] = [];
  for (let p = 0; p < 14; p++) {
    const events: Ev[] = [];
    const n = p % 5 === 4 ? 0 : 1 + Math.floor(rnd() * 12);
    for (let k = 0; k < n; k++) {
      const r = rnd();
      const type = r < 0.4 ? 'page_view' : r < 0.6 ? 'product_viewed' : r < 0.85 ? 'purchase' : 'upgrade';
      const ev: Ev = { type, at: at(-400 + Math.floor(rnd() * 420 * 24) / 24 + 0.001 * k) };
      if (type === 'purchase') ev.value = Math.round(rnd() * 20000) / 100;
      if (type === 'upgrade') ev.plan = rnd() < 0.5 ? 'pro' : 'basic';
      events.push(ev);
    }
    // The edges: the lookback start counts, the cutoff itself does not; 30 days before counts in 30d.
    if (p === 1) events.push({ type: 'purchase', at: at(-365), value: 7 }, { type: 'purchase', at: cutoff, value: 1000 }, { type: 'page_view', at: at(-30) }, { type: 'page_view', at: at(-7) }, { type: 'purchase', at: at(-90), value: 3 });
    if (p === 2) events.push({ type: 'upgrade', at: at(-2), plan: 'pro' }, { type: 'upgrade', at: at(-1), plan: 'basic' }, { type: 'purchase', at: at(-1) });
    const externalId = `p${p}`;
    if (events.length) {
      const r = await trackEvents(ws.ctx, {
        events: events.map((e): TrackEventInput => ({ type: e.type, externalId, occurredAt: e.at, value: e.value ?? null, properties: e.plan ? { plan: e.plan, seats: 3 } : null })),
        source: 'test',
      });
      expect(r.rejected).toEqual([]);
    } else {
      await trackEvents(ws.ctx, { events: [{ type: 'page_view', externalId, occurredAt: at(5) }], source: 'test' });
      events.push({ type: 'page_view', at: at(5) });
    }
    // Interleave another workspace's contact (with behaviour) between ours.
    await trackEvents(other.ctx, { events: [{ type: 'purchase', externalId: `o${p}`, occurredAt: at(-3), value: 50 }], source: 'test' });
    const contact = await app.core.db.prisma.contact.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, externalId } });
    people.push({ id: contact.id, createdAt: contact.createdAt, events, mails: [] });
  }
  // Some contacts existed long before their first event; one only after the cutoff.
  for (const [i, days] of [[0, -500], [3, -20], [4, -10], [6, 3]] as const) {
    people[i].createdAt = at(days);
    await app.core.db.prisma.contact.update({ where: { id: people[i].id }, data: { createdAt: people[i].createdAt } });
  }
  await defineAttribute(ws.ctx, { key: 'age', type: 'NUMBER' });
  await defineAttribute(ws.ctx, { key: 'tier', type: 'ENUM', enumValues: ['gold', 'silver'] });
  for (const [i, attrs] of [[0, { age: 30, tier: 'gold' }], [1, { age: 52 }], [2, { tier: 'silver' }]] as const) {
    Object.assign(people[i], attrs);
    await app.core.db.prisma.contact.update({ where: { id: people[i].id }, data: { attributes: attrs } });
  }
  const mails: [number, Mail][] = [
    [0, { type: 'open', at: at(-40), machine: false }], [0, { type: 'open', at: at(-5), machine: false }], [0, { type: 'click', at: at(-5), machine: false }],
    [0, { type: 'open', at: at(2), machine: false }], [1, { type: 'open', at: at(-3), machine: true }], [1, { type: 'open', at: at(-200), machine: false }],
    [2, { type: 'click', at: at(-400), machine: false }], [3, { type: 'open', at: at(-1), machine: false }],
  ];
  for (const [i, m] of mails) people[i].mails.push(m);
  await insertEmailEvents(ws.ctx, mails.map(([i, m]) => ({ contactId: people[i].id, type: m.type, at: m.at, machine: m.machine })));
  return people;
}

/** The features of one person, computed from the rows above (the documented definitions). */
function expected(p: Person, spec: FeatureSpec): number[] {
  const t = cutoff.getTime();
  const inWindow = (d: Date) => d.getTime() >= t - 365 * DAY && d.getTime() < t;
  const since = (d: Date) => (t - d.getTime()) / DAY;
  const lg = (x: number) => Math.log1p(x);
  const recency = (ds: Date[]) => (ds.length ? lg(Math.min(365, Math.min(...ds.map(since)))) : lg(365));
  const within = (ds: Date[], days: number) => ds.filter((d) => since(d) <= days).length;
  const ev = p.events.filter((e) => inWindow(e.at));
  const times = ev.map((e) => e.at);
  const buys = ev.filter((e) => e.type === 'purchase');
  const revenue = (es: Ev[]) => es.reduce((s, e) => s + (e.value ?? 0), 0);
  const days = (ds: Date[]) => new Set(ds.map((d) => d.toISOString().slice(0, 10))).size;
  const firstTimes = [...times, ...(p.createdAt.getTime() < t ? [p.createdAt] : [])];
  const out = [
    recency(times),
    firstTimes.length ? lg(Math.max(...firstTimes.map(since))) : 0,
    ev.length ? 1 : 0,
    lg(within(times, 7)), lg(within(times, 30)), lg(within(times, 90)), lg(ev.length),
    lg(days(times.filter((d) => since(d) <= 30))), lg(days(times.filter((d) => since(d) <= 90))),
    lg(new Set(ev.map((e) => e.type)).size),
    lg(within(buys.map((e) => e.at), 30)), lg(within(buys.map((e) => e.at), 90)), lg(buys.length),
    recency(buys.map((e) => e.at)),
    lg(revenue(buys.filter((e) => since(e.at) <= 90))), lg(revenue(buys)),
    buys.length ? lg(revenue(buys) / buys.length) : 0,
  ];
  const human = p.mails.filter((m) => !m.machine && inWindow(m.at));
  const opens = human.filter((m) => m.type === 'open').map((m) => m.at);
  const clicks = human.filter((m) => m.type === 'click').map((m) => m.at);
  out.push(lg(within(opens, 30)), lg(opens.length), lg(within(clicks, 30)), lg(clicks.length), recency(opens));
  const target = ev.filter((e) => e.type === 'upgrade' && e.plan === 'pro').map((e) => e.at);
  out.push(lg(within(target, 30)), lg(within(target, 90)), lg(target.length), recency(target));
  out.push(p.age ?? 0, p.age === undefined ? 1 : 0, p.tier === 'gold' ? 1 : 0, p.tier === 'silver' ? 1 : 0);
  expect(out).toHaveLength(featureNames(spec).length);
  return out;
}

function expectRows(got: ContactFeatures, people: Person[], spec: FeatureSpec) {
  expect(Array.from(got.contactIds)).toEqual(people.map((p) => p.id));
  const names = featureNames(spec);
  people.forEach((p, r) => {
    const want = expected(p, spec);
    names.forEach((name, c) => {
      const value = got.features.values[r * got.features.cols + c];
      if (Math.abs(value - want[c]) > 1e-5) throw new Error(`contact ${p.id} (row ${r}) ${name}: got ${value}, expected ${want[c]}`);
    });
  });
}

async function specFor(): Promise<FeatureSpec> {
  const target = await defineModelTarget(ws.ctx, { key: 'pro', kind: 'EVENT', eventType: 'upgrade', horizonDays: 30, propertyFilters: [{ property: 'plan', op: 'EQ', value: 'pro' }] });
  const spec = await buildFeatureSpec(ws.ctx, { target, attributes: ['age', 'tier'] });
  expect(spec.engagement).toBe(true);
  return spec;
}

test('the workspace walk, in pages of any size, computes every feature as defined', async () => {
  const people = await seed();
  const spec = await specFor();
  for (const pageSize of [3, 10_000]) {
    const pages: ContactFeatures[] = [];
    for await (const page of workspaceFeatures(ws.ctx, { spec, cutoff, pageSize })) pages.push(page);
    expect(pages).toHaveLength(pageSize === 3 ? 5 : 1);
    const rows = pages.flatMap((pg) => Array.from({ length: pg.features.rows }, (_, r) => ({ id: pg.contactIds[r], values: pg.features.values.subarray(r * pg.features.cols, (r + 1) * pg.features.cols) })));
    const cols = featureNames(spec).length;
    const joined: ContactFeatures = {
      contactIds: Int32Array.from(rows, (r) => r.id),
      features: { rows: rows.length, cols, values: Float32Array.from(rows.flatMap((r) => Array.from(r.values))), featureNames: featureNames(spec) },
    };
    expectRows(joined, people, spec);
  }
});

test('explicit ids give the same values, in the order asked, without other workspaces', async () => {
  const people = await seed();
  const spec = await specFor();
  const order = [people[5], people[0], people[13], people[1], people[2], people[9]];
  const strangers = (await app.core.db.prisma.contact.findMany({ where: { workspaceId: other.workspaceId } })).map((c) => c.id);
  const got = await extractFeatures(ws.ctx, { spec, cutoff, contactIds: [order[0].id, strangers[0], order[1].id, order[2].id, 2_000_000_000, ...order.slice(3).map((p) => p.id)] });
  expectRows(got, order, spec);
});

test('training rows are the snapshot contacts with the same values as scoring computes', async () => {
  const people = await seed();
  const spec = await specFor();
  const target = await defineModelTarget(ws.ctx, { key: 'pro-again', kind: 'EVENT', eventType: 'upgrade', horizonDays: 30, propertyFilters: [{ property: 'plan', op: 'EQ', value: 'pro' }] });
  const data = await buildDataset(ws.ctx, { target, spec, cutoff });
  // Known by the cutoff: created before it, or with an event in the lookback before it.
  const known = people.filter((p) => p.createdAt < cutoff || p.events.some((e) => e.at < cutoff && e.at.getTime() >= cutoff.getTime() - 365 * DAY));
  expect(known.length).toBeGreaterThan(5);
  expect(known.length).toBeLessThan(people.length);
  expectRows({ contactIds: data.contactIds, features: data.features }, known, spec);
});
