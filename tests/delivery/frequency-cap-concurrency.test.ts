// The frequency cap under concurrency: two marketing campaigns whose batches are in flight at
// the same time still give each contact no more than the cap allows, because the cap is
// decided when a batch is reserved for the provider, under the contacts' row locks, counting
// messages already in flight. Transactional campaigns stay exempt.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { createIntegration } from '../../core/integrations/integration-configs';
import { updateWorkspace } from '../../core/workspaces/workspaces';
import { parseWorkspaceSettings } from '../../core/workspaces/workspace-settings';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { claimBatch, reapExpiredLeases } from '../../core/delivery/message-claim';
import { reserveDispatch } from '../../core/delivery/dispatch-reservation';
import { recordOutcomes } from '../../core/delivery/send-outcomes';
import { DEFAULT_BACKOFF } from '../../core/delivery/backoff';
import { basicTemplate, controlClock, manyContacts, seedContacts, statusCounts, testSender } from '../campaigns/campaign-fixtures';
import { gatedProvider } from './support/gated-provider';

const CAP = { maxMessages: 1, windowDays: 30, minHoursBetween: 0 };
const settings = parseWorkspaceSettings({ frequencyCap: CAP });
const gated = gatedProvider();

let app: App;
let ws: TestWorkspace;
let clock: ReturnType<typeof controlClock>;
let templateId: number;

beforeAll(async () => {
  app = await createTestApp({ plugins: [outbox(), gated.plugin()] });
  clock = controlClock(app);
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  clock.set(new Date('2030-03-04T12:00:00.000Z'));
  gated.reset();
  ws = await createTestWorkspace(app, { timezone: 'UTC' });
  await createIntegration(ws.ctx, { kind: 'EMAIL_PROVIDER', key: 'test-gated', name: 'Gated', isDefault: true, config: {} });
  await updateWorkspace(ws.ctx, { settings: { frequencyCap: CAP } });
  templateId = (await basicTemplate(ws.ctx)).templateId;
});

async function launch(name: string, category: 'MARKETING' | 'TRANSACTIONAL' = 'MARKETING'): Promise<number> {
  const c = await createCampaign(ws.ctx, { name, category, from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  await launchCampaign(ws.ctx, c.id);
  return c.id;
}

/** Messages of these campaigns a batch has not yet decided about (queued or only claimed). */
async function undecided(campaignIds: number[]): Promise<number> {
  const [[r]] = await app.core.db.sql.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM messages WHERE campaign_id IN (?) AND status IN ('QUEUED', 'SENDING')", [campaignIds]);
  return Number(r.n);
}

async function skipReasons(campaignIds: number[]): Promise<Record<string, number>> {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>(
    "SELECT skip_reason, COUNT(*) AS n FROM messages WHERE campaign_id IN (?) AND status = 'SKIPPED' GROUP BY skip_reason", [campaignIds]);
  return Object.fromEntries(rows.map((r) => [r.skip_reason, Number(r.n)]));
}

function perRecipient(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of gated.delivered) out[m.to.email] = (out[m.to.email] ?? 0) + 1;
  return out;
}

/**
 * One worker sending one campaign until nothing of it is left to decide. Usually one batch;
 * a second when a concurrent claim of another campaign made this claim pass over a row
 * (SKIP LOCKED), which the next batch then picks up, as a worker would.
 */
async function sendAll(owner: string, campaignId: number) {
  const sender = testSender(app, { owner });
  const total = { sent: 0, skipped: 0 };
  for (let round = 0; round < 5 && (await undecided([campaignId])) > 0; round++) {
    const r = await sender.sendBatch(campaignId);
    total.sent += r.sent;
    total.skipped += r.skipped;
  }
  return total;
}

test('two marketing campaigns dispatched at once by two workers: one email per contact, the other skipped by the cap', async () => {
  const emails = manyContacts(5).map((c) => c.email!);
  await seedContacts(ws.ctx, manyContacts(5));
  const a = await launch('A');
  const b = await launch('B');
  // A batch that reaches the provider stays in flight (DISPATCHING) until the other campaign
  // has either reached the provider too (the race the cap must not lose) or been settled.
  gated.holdUntil(async (call) => gated.calls.length >= 2 || (await undecided([Number(call.campaignId) === a ? b : a])) === 0);

  const [ra, rb] = await Promise.all([sendAll('worker-a', a), sendAll('worker-b', b)]);

  expect(perRecipient()).toEqual(Object.fromEntries(emails.map((e) => [e, 1])));
  expect(gated.calls.filter((c) => c.released === 'timeout')).toEqual([]);
  const counts = [await statusCounts(app, a), await statusCounts(app, b)];
  expect(counts.reduce((n, c) => n + (c.SENT ?? 0), 0)).toBe(5);
  expect(counts.reduce((n, c) => n + (c.SKIPPED ?? 0), 0)).toBe(5);
  expect(await skipReasons([a, b])).toEqual({ frequency_cap: 5 });
  expect({ sent: ra.sent + rb.sent, skipped: ra.skipped + rb.skipped }).toEqual({ sent: 5, skipped: 5 });
});

test('a transactional campaign in flight alongside a marketing one is neither capped nor counted', async () => {
  const emails = manyContacts(3).map((c) => c.email!);
  await seedContacts(ws.ctx, manyContacts(3));
  const m = await launch('Sale');
  const t = await launch('Receipt', 'TRANSACTIONAL');
  // Both campaigns must be in the provider at the same time: neither waits for nor stops the other.
  gated.holdUntil(async () => new Set(gated.calls.map((c) => c.campaignId)).size === 2);

  await Promise.all([sendAll('worker-a', m), sendAll('worker-b', t)]);

  expect(gated.calls.filter((c) => c.released === 'timeout')).toEqual([]);
  expect(perRecipient()).toEqual(Object.fromEntries(emails.map((e) => [e, 2])));
  expect(await statusCounts(app, m)).toEqual({ SENT: 3 });
  expect(await statusCounts(app, t)).toEqual({ SENT: 3 });
});

// The reservation on its own, without a sender around it: claimed batches of different
// campaigns reserved at the same instant.
async function claim(campaignId: number, owner: string) {
  const { ids } = await claimBatch(app.core, { campaignId, owner, limit: 100, leaseMs: 60_000, throttles: [] });
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT id, contact_id FROM messages WHERE id IN (?) ORDER BY id', [ids.map(String)]);
  return rows.map((r) => ({ id: BigInt(r.id), contactId: r.contact_id as number }));
}

function reserve(campaignId: number, owner: string, recipients: { id: bigint; contactId: number }[], category: 'MARKETING' | 'TRANSACTIONAL' = 'MARKETING') {
  return reserveDispatch(app.core, { campaignId, category, recipients, owner, leaseMs: 120_000, settings });
}

test('concurrent reservations to the same contacts: each contact is reserved for one campaign only', async () => {
  await seedContacts(ws.ctx, manyContacts(40));
  const campaigns = [await launch('A'), await launch('B'), await launch('C')];
  const batches: Awaited<ReturnType<typeof claim>>[] = [];
  for (const [i, id] of campaigns.entries()) batches.push(await claim(id, `w-${i}`));
  expect(batches.map((b) => b.length)).toEqual([40, 40, 40]);
  const results = await Promise.all(campaigns.map((id, i) => reserve(id, `w-${i}`, batches[i])));

  expect(results.reduce((n, r) => n + r.dispatching.length, 0)).toBe(40);
  expect(results.reduce((n, r) => n + r.skipped.length, 0)).toBe(80);
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>(
    "SELECT contact_id, COUNT(*) AS n FROM messages WHERE campaign_id IN (?) AND status = 'DISPATCHING' GROUP BY contact_id", [campaigns]);
  expect(rows).toHaveLength(40);
  expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
  expect(await skipReasons(campaigns)).toEqual({ frequency_cap: 80 });
});

test('what counts: in flight and uncertain do, merely claimed and sent back for retry do not', async () => {
  await seedContacts(ws.ctx, [{ email: 'x@example.com' }]);
  const a = await launch('A');
  const b = await launch('B');
  const claimedA = await claim(a, 'w-a');
  const claimedB = await claim(b, 'w-b');

  // A is only claimed (SENDING): it may still be skipped, so B goes ahead.
  const rb = await reserve(b, 'w-b', claimedB);
  expect(rb.dispatching).toHaveLength(1);
  // B is now in the provider call: A is capped.
  expect(await reserve(a, 'w-a', claimedA)).toEqual({ dispatching: [], skipped: [{ id: claimedA[0].id, reason: 'frequency_cap' }] });
  expect(await statusCounts(app, a)).toEqual({ SKIPPED: 1 });
  // A transactional batch is exempt even now.
  const t = await launch('Receipt', 'TRANSACTIONAL');
  expect((await reserve(t, 'w-t', await claim(t, 'w-t'), 'TRANSACTIONAL')).dispatching).toHaveLength(1);

  // B's provider call ends in a retry: back to QUEUED, no longer counted, so C goes ahead.
  await recordOutcomes(app.core, { owner: 'w-b', ids: rb.dispatching, attempts: [1], outcomes: [{ status: 'retryable', reason: '503' }], policy: DEFAULT_BACKOFF });
  expect(await statusCounts(app, b)).toEqual({ QUEUED: 1 });
  const c = await launch('C');
  expect((await reserve(c, 'w-c', await claim(c, 'w-c'))).dispatching).toHaveLength(1);

  // C's worker dies mid-call: the reaper makes it UNCERTAIN, which still counts (it may have gone out).
  clock.advance(10 * 60_000);
  expect(await reapExpiredLeases(app.core, c)).toEqual({ requeued: 0, uncertain: 1 });
  const d = await launch('D');
  expect((await reserve(d, 'w-d', await claim(d, 'w-d'))).skipped).toEqual([expect.objectContaining({ reason: 'frequency_cap' })]);

  // Once the window has passed, the uncertain message no longer counts either.
  clock.advance(31 * 86_400_000);
  const e = await launch('E');
  expect((await reserve(e, 'w-e', await claim(e, 'w-e'))).dispatching).toHaveLength(1);
});
