import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { computeProfiles } from '../../core/profiles/compute-profiles';
import { overrideOptionalTable } from '../../core/profiles/optional-tables';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { contact, fixedClock, messageEvents, track } from './persona-fixtures';
import type { WorkspaceContext } from '../../core/context';

let app: App;
let ws: TestWorkspace;
let ctx: WorkspaceContext;
// Top of the current hour, so contacts created during the test are "now" too.
const NOW = new Date(Math.floor(Date.now() / 3600_000) * 3600_000);
const ago = (days: number, utcHour = 12, minute = 30) => {
  const d = new Date(NOW.getTime() - days * 86_400_000);
  d.setUTCHours(utcHour, minute, 0, 0);
  return d;
};

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app);
  ctx = fixedClock(ws.ctx, NOW);
});

async function seed() {
  // Alice lives in Kolkata (UTC+05:30, no daylight saving): 12:30 UTC is 18:00 for her.
  const alice = await contact(ctx, 'alice@example.com', { timezone: 'Asia/Kolkata' });
  const bob = await contact(ctx, 'bob@example.com');
  const carol = await contact(ctx, 'carol@example.com');
  const dave = await contact(ctx, 'dave@example.com');
  const erin = await contact(ctx, 'erin@example.com');
  await track(ctx, [
    { contactId: alice, type: 'purchase', value: 50, occurredAt: ago(40), properties: { items: [{ sku: 'A', category: 'shoes' }, { sku: 'B', category: 'hats' }] } },
    { contactId: alice, type: 'product_viewed', occurredAt: ago(4), properties: { category: 'hats' } },
    { contactId: alice, type: 'product_viewed', occurredAt: ago(3), properties: { category: 'hats' } },
    { contactId: alice, type: 'purchase', value: 100, occurredAt: ago(2), properties: { category: 'shoes', sku: 'C' } },
    { contactId: alice, type: 'product_viewed', occurredAt: ago(2, 12, 40), properties: { category: 'hats' } },
    { contactId: alice, type: 'product_viewed', occurredAt: ago(1, 3, 0), properties: { category: 'hats' } },
    { contactId: carol, type: 'purchase', value: 20, occurredAt: ago(60), properties: { category: 'socks' } },
    { contactId: dave, type: 'purchase', value: 500, occurredAt: ago(200), properties: { category: 'coats' } },
    { contactId: erin, type: 'page_view', occurredAt: ago(200) },
  ]);
  return { alice, bob, carol, dave, erin };
}

async function profile(contactId: number) {
  const [[row]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT * FROM contact_profiles WHERE contact_id = ?', [contactId]);
  return row;
}

test('computes recency, frequency, monetary, sessions, counts, RFM quintiles, lifecycle, engagement and preferred hour', async () => {
  const { alice, bob, carol, dave, erin } = await seed();
  await messageEvents(app, ctx, [
    { contactId: alice, type: 'open', occurredAt: ago(10) },
    { contactId: alice, type: 'open', occurredAt: ago(10, 13) },
    { contactId: alice, type: 'open', occurredAt: ago(60) },
    { contactId: alice, type: 'click', occurredAt: ago(10) },
    { contactId: alice, type: 'open', occurredAt: ago(5), machine: true },
    { contactId: dave, type: 'open', occurredAt: ago(20) },
  ]);
  const result = await computeProfiles(ctx);
  expect(result).toMatchObject({ contacts: 5, emailEngagement: true });

  const a = await profile(alice);
  expect(a).toMatchObject({
    purchase_count: 2, session_count: 5, monetary_total: 150, average_order_value: 75,
    events_7d: 5, events_30d: 5, events_90d: 6,
    opens_30d: 2, opens_90d: 3, clicks_30d: 1, clicks_90d: 1,
    preferred_hour: 18, lifecycle_stage: 'ACTIVE', top_interest: 'hats',
  });
  expect(a.last_purchase_at).toEqual(ago(2));
  expect(a.first_seen_at).toEqual(ago(40));
  // Purchasers: alice (2 days, 2 purchases, 150), carol (60, 1, 20), dave (200, 1, 500).
  // Score = 1 + floor(5 × percent rank); ties share the lower rank.
  expect([a.rfm_code, (await profile(carol)).rfm_code, (await profile(dave)).rfm_code]).toEqual(['553', '311', '115']);
  expect((await profile(bob)).rfm_code).toBeNull();

  expect((await profile(bob)).lifecycle_stage).toBe('NEW');
  expect((await profile(carol)).lifecycle_stage).toBe('AT_RISK');
  expect((await profile(dave)).lifecycle_stage).toBe('ACTIVE'); // an email open 20 days ago counts as activity
  expect((await profile(erin)).lifecycle_stage).toBe('LAPSED');

  const [counts] = await app.core.db.sql.query<RowDataPacket[]>('SELECT type, count_7d, count_30d, count_90d FROM contact_event_counts WHERE contact_id = ? ORDER BY type', [alice]);
  expect(counts.map((r) => ({ ...r }))).toEqual([
    { type: 'product_viewed', count_7d: 4, count_30d: 4, count_90d: 4 },
    { type: 'purchase', count_7d: 1, count_30d: 1, count_90d: 2 },
  ]);
});

test('interest scores are decayed, weighted shares that sum to 1, from categories and purchase items', async () => {
  const { alice } = await seed();
  await computeProfiles(ctx);
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT category, score, views, purchases FROM contact_interests WHERE contact_id = ? ORDER BY category', [alice]);
  // Independent computation: purchase 3, view 1, weight × e^(−age / 90 days).
  const w = (weight: number, at: Date) => weight * Math.exp(-(NOW.getTime() - at.getTime()) / 1000 / 7_776_000);
  const shoes = w(3, ago(40)) + w(3, ago(2));
  const hats = w(3, ago(40)) + w(1, ago(4)) + w(1, ago(3)) + w(1, ago(2, 12, 40)) + w(1, ago(1, 3, 0));
  expect(rows.map((r) => r.category)).toEqual(['hats', 'shoes']);
  expect(rows[0].score).toBeCloseTo(hats / (hats + shoes), 6);
  expect(rows[1].score).toBeCloseTo(shoes / (hats + shoes), 6);
  expect(rows[0]).toMatchObject({ views: 4, purchases: 1 });
  expect(rows[1]).toMatchObject({ views: 0, purchases: 2 });
});

test('preferred hour follows daylight saving: the same UTC hour is a different local hour in summer and winter', async () => {
  // New York is UTC−5 in January and UTC−4 in July: 23:00 UTC is 18:00 in winter, 19:00 in summer.
  const asOf = new Date('2025-07-20T00:00:00Z');
  const c = fixedClock(ws.ctx, asOf);
  const winter = await contact(c, 'winter@example.com', { timezone: 'America/New_York' });
  const summer = await contact(c, 'summer@example.com', { timezone: 'America/New_York' });
  await track(c, [
    ...[5, 6, 7].map((d) => ({ contactId: winter, type: 'page_view', occurredAt: new Date(`2025-01-0${d}T23:00:00Z`) })),
    ...[5, 6, 7].map((d) => ({ contactId: summer, type: 'page_view', occurredAt: new Date(`2025-07-0${d}T23:00:00Z`) })),
  ]);
  await computeProfiles(c);
  expect((await profile(winter)).preferred_hour).toBe(18);
  expect((await profile(summer)).preferred_hour).toBe(19);
});

test('works without message_events (another domain’s table): engagement is zero and reported as unavailable', async () => {
  const { alice, dave } = await seed();
  overrideOptionalTable('message_events', null);
  try {
    const result = await computeProfiles(ctx);
    expect(result.emailEngagement).toBe(false);
  } finally {
    overrideOptionalTable('message_events', undefined);
  }
  expect(await profile(alice)).toMatchObject({ opens_30d: 0, clicks_90d: 0, purchase_count: 2 });
  expect((await profile(dave)).lifecycle_stage).toBe('LAPSED');
});

test('a recomputation replaces the previous profiles and never touches another workspace', async () => {
  const { alice } = await seed();
  const other = await createTestWorkspace(app);
  const otherContact = await contact(other.ctx, 'x@example.com');
  await computeProfiles(fixedClock(other.ctx, NOW));
  await computeProfiles(ctx);
  await track(ctx, [{ contactId: alice, type: 'purchase', value: 10, occurredAt: ago(1) }]);
  await computeProfiles(ctx);
  expect(await profile(alice)).toMatchObject({ purchase_count: 3, monetary_total: 160 });
  const [[n]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM contact_profiles WHERE workspace_id = ?', [ws.workspaceId]);
  expect(n.n).toBe(5);
  expect(await profile(otherContact)).toMatchObject({ workspace_id: other.workspaceId, purchase_count: 0 });
});
