// Real data: UCI Online Retail (../shared/data/online_retail.csv) loaded as contacts and
// purchase events through trackEvents, then RFM, k-means and association rules are checked
// against figures computed independently here (straight from the CSV rows) and against the
// scikit-learn reference in online_retail.REFERENCE.txt.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import type { WorkspaceContext } from '../../core/context';
import { trackEvents } from '../../core/events/track-events';
import { computeProfiles } from '../../core/profiles/compute-profiles';
import { discoverPersonas } from '../../core/clustering/discover-personas';
import { mineAssociationRules } from '../../core/recommendations/association-rules';
import { createTestApp, createTestWorkspace } from '../support/test-app';
import { fixedClock } from './persona-fixtures';
import { sharedDataFile } from '../support/shared-data';

const CSV = sharedDataFile('online_retail.csv');
const DAY = 86_400_000;
const REF = { inertia: 3952.5745, sizes: [1175, 838, 1626, 700], recencyMean: 92.518, recencyMedian: 51, frequencyMean: 4.272, frequencyMax: 210, monetaryMean: 2053.793, monetaryMax: 280206.02 };

interface Line { invoice: string; sku: string; quantity: number; at: number; price: number; customer: string }

let app: App;
let ctx: WorkspaceContext;
let lines: Line[];
let snapshot: Date;

beforeAll(async () => {
  app = await createTestApp();
  const rows = parse(readFileSync(CSV), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  // The reference's cleaning: drop rows without a customer and returns (negative quantity).
  lines = rows
    .filter((r) => r.CustomerID !== '' && Number(r.Quantity) >= 0)
    .map((r) => ({ invoice: r.InvoiceNo, sku: r.StockCode, quantity: Number(r.Quantity), at: Date.parse(`${r.InvoiceDate.replace(' ', 'T')}Z`), price: Number(r.UnitPrice), customer: String(Math.round(Number(r.CustomerID))) }));
  snapshot = new Date(lines.reduce((m, l) => Math.max(m, l.at), 0) + DAY);
  ctx = fixedClock((await createTestWorkspace(app)).ctx, snapshot);

  // One purchase event per invoice, its lines as items; contacts are created by external id.
  const invoices = new Map<string, Line[]>();
  for (const l of lines) (invoices.get(l.invoice) ?? invoices.set(l.invoice, []).get(l.invoice)!).push(l);
  const events = [...invoices.entries()].map(([invoice, ls]) => ({
    type: 'purchase',
    externalId: ls[0].customer,
    occurredAt: new Date(ls[0].at),
    value: Math.round(ls.reduce((s, l) => s + l.quantity * l.price, 0) * 10_000) / 10_000,
    properties: { invoice, items: ls.map((l) => ({ sku: l.sku, quantity: l.quantity, price: l.price })) },
    idempotencyKey: `invoice:${invoice}`,
  }));
  for (let i = 0; i < events.length; i += 2000) {
    const res = await trackEvents(ctx, { events: events.slice(i, i + 2000), source: 'test' });
    expect(res.rejected).toEqual([]);
  }
  await computeProfiles(ctx, { asOf: snapshot });
}, 300_000);
afterAll(async () => {
  await app.close();
});

/** R, F, M per customer straight from the CSV lines. */
function referenceRfm() {
  const by = new Map<string, { last: number; invoices: Set<string>; monetary: number }>();
  for (const l of lines) {
    const c = by.get(l.customer) ?? by.set(l.customer, { last: 0, invoices: new Set(), monetary: 0 }).get(l.customer)!;
    c.last = Math.max(c.last, l.at);
    c.invoices.add(l.invoice);
    c.monetary += l.quantity * l.price;
  }
  return new Map([...by].map(([id, c]) => [id, { r: Math.floor((snapshot.getTime() - c.last) / DAY), f: c.invoices.size, m: c.monetary }]));
}

/** 1 + floor(5 × percent rank), ties taking the lowest rank, as documented for RFM scores. */
function quintiles(values: Map<string, number>, descending: boolean): Map<string, number> {
  const sorted = [...values.values()].sort((a, b) => (descending ? b - a : a - b));
  const n = sorted.length;
  const firstIndex = new Map<number, number>();
  sorted.forEach((v, i) => firstIndex.has(v) || firstIndex.set(v, i));
  return new Map([...values].map(([k, v]) => [k, Math.min(5, 1 + Math.floor((5 * firstIndex.get(v)!) / (n - 1)))]));
}

test('recency, frequency and monetary match the CSV and the reference summary; quintile scores match an independent ranking', async () => {
  const ref = referenceRfm();
  expect(ref.size).toBe(4339);
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>(
    `SELECT c.external_id AS id, TIMESTAMPDIFF(DAY, p.last_purchase_at, p.computed_at) AS r, p.purchase_count AS f, p.monetary_total AS m,
            p.recency_score AS rs, p.frequency_score AS fs, p.monetary_score AS ms, p.rfm_code
       FROM contact_profiles p JOIN contacts c ON c.id = p.contact_id WHERE p.workspace_id = ?`,
    [ctx.workspaceId],
  );
  expect(rows).toHaveLength(4339);
  const rQ = quintiles(new Map([...ref].map(([k, v]) => [k, v.r])), true);
  const fQ = quintiles(new Map([...ref].map(([k, v]) => [k, v.f])), false);
  const mQ = quintiles(new Map([...ref].map(([k, v]) => [k, Math.round(v.m * 10_000) / 10_000])), false);
  const mismatches: string[] = [];
  for (const row of rows) {
    const want = ref.get(row.id)!;
    if (row.r !== want.r || row.f !== want.f || Math.abs(row.m - want.m) > 0.01) mismatches.push(`${row.id}: ${row.r}/${row.f}/${row.m} vs ${want.r}/${want.f}/${want.m}`);
    if (row.rs !== rQ.get(row.id) || row.fs !== fQ.get(row.id) || row.ms !== mQ.get(row.id)) mismatches.push(`${row.id}: scores ${row.rfm_code} vs ${rQ.get(row.id)}${fQ.get(row.id)}${mQ.get(row.id)}`);
  }
  expect(mismatches.slice(0, 10)).toEqual([]);

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rs = rows.map((r) => r.r as number).sort((a, b) => a - b);
  expect(mean(rs)).toBeCloseTo(REF.recencyMean, 2);
  expect(rs[Math.floor(rs.length / 2)]).toBe(REF.recencyMedian);
  expect(mean(rows.map((r) => r.f))).toBeCloseTo(REF.frequencyMean, 2);
  expect(Math.max(...rows.map((r) => r.f))).toBe(REF.frequencyMax);
  expect(mean(rows.map((r) => r.m))).toBeCloseTo(REF.monetaryMean, 2);
  expect(Math.max(...rows.map((r) => r.m))).toBeCloseTo(REF.monetaryMax, 2);
});

test('k-means (k=4, 10 restarts) on log1p-standardised RFM is within 1% of scikit-learn’s inertia', async () => {
  const d = await discoverPersonas(ctx, { k: 4, features: ['recency', 'frequency', 'monetary'], nInit: 10, seed: 0 });
  expect(d.contacts).toBe(4339);
  expect(Math.abs(d.inertia - REF.inertia) / REF.inertia).toBeLessThan(0.01);
  const sizes = d.clusters.map((c) => c.size).sort((a, b) => a - b);
  [...REF.sizes].sort((a, b) => a - b).forEach((s, i) => expect(Math.abs(sizes[i] - s) / s).toBeLessThan(0.05));
  // The most valuable cluster: recent, frequent, high spend (reference centre 7.49 days, 11.08 invoices, 4319.27).
  const top = d.clusters.reduce((a, b) => (b.centroid.monetary > a.centroid.monetary ? b : a));
  expect(top.label).toBe('high value, loyal');
  expect(top.centroid.recency).toBeLessThan(15);
  expect(top.centroid.frequency).toBeGreaterThan(8);
}, 60_000);

test('association rules (FP-growth) match a brute-force count of item sets over the same invoices', async () => {
  const minSupport = 0.02;
  const mined = await mineAssociationRules(ctx, { itemKey: 'sku', minSupport, minConfidence: 0.5, minLift: 1 });
  const baskets = new Map<string, Set<string>>();
  for (const l of lines) (baskets.get(l.invoice) ?? baskets.set(l.invoice, new Set()).get(l.invoice)!).add(l.sku);
  const n = baskets.size;
  expect(mined.transactions).toBe(n);
  const minCount = Math.ceil(minSupport * n);

  // Brute force: count singles, then pairs and triples of frequent items in every basket.
  const count = new Map<string, number>();
  const bump = (k: string) => count.set(k, (count.get(k) ?? 0) + 1);
  for (const b of baskets.values()) b.forEach(bump);
  const frequent = (k: string) => (count.get(k) ?? 0) >= minCount;
  const freqItems = (b: Set<string>) => [...b].filter(frequent).sort();
  for (const b of baskets.values()) {
    const f = freqItems(b);
    for (let i = 0; i < f.length; i++) for (let j = i + 1; j < f.length; j++) bump(`${f[i]}|${f[j]}`);
  }
  for (const b of baskets.values()) {
    const f = freqItems(b);
    for (let i = 0; i < f.length; i++) for (let j = i + 1; j < f.length; j++) {
      if (!frequent(`${f[i]}|${f[j]}`)) continue;
      for (let k = j + 1; k < f.length; k++) if (frequent(`${f[i]}|${f[k]}`) && frequent(`${f[j]}|${f[k]}`)) bump(`${f[i]}|${f[j]}|${f[k]}`);
    }
  }
  const expected: string[] = [];
  for (const [key, c] of count) {
    const items = key.split('|');
    if (items.length < 2 || c < minCount) continue;
    for (let mask = 1; mask < (1 << items.length) - 1; mask++) {
      const a = items.filter((_, i) => mask & (1 << i));
      const b = items.filter((_, i) => !(mask & (1 << i)));
      const conf = c / count.get(a.join('|'))!;
      const lift = conf / (count.get(b.join('|'))! / n);
      if (conf >= 0.5 && lift >= 1) expected.push(`${a.join('+')}=>${b.join('+')} ${c} ${conf.toFixed(6)} ${lift.toFixed(6)}`);
    }
  }
  const got = mined.rules.map((r) => `${[...r.antecedent].sort().join('+')}=>${[...r.consequent].sort().join('+')} ${r.count} ${r.confidence.toFixed(6)} ${r.lift.toFixed(6)}`);
  expect(Math.max(...mined.rules.map((r) => r.antecedent.length + r.consequent.length))).toBeLessThanOrEqual(3);
  expect(expected.length).toBeGreaterThan(10);
  expect(got.sort()).toEqual(expected.sort());
}, 60_000);
