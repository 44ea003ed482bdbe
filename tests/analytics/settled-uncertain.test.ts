// Webhooks that settle a message whose acceptance we never heard of (UNCERTAIN, or a webhook
// faster than the provider's answer) make it count as sent, so delivered = sent − bounced −
// dropped stays true; and a message is dropped at most once, never both dropped and bounced.
// Runs the real event code (applyMessageEvents) and compares the writer with a rebuild.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { applyMessageEvents, type MessageEventInput } from '../../core/delivery/message-events';
import { claimBatch, markDispatching } from '../../core/delivery/message-claim';
import { recordOutcomes } from '../../core/delivery/send-outcomes';
import { DEFAULT_BACKOFF } from '../../core/delivery/backoff';
import { rebuildCampaignRollups } from '../../core/analytics/rollup-rebuild';
import { campaignTotals } from '../../core/analytics/campaign-stats';
import { deliveredOf, ratesOf } from '../../core/analytics/metric-definitions';
import { rollupSnapshot, seedCampaign, seedContacts } from './support/analytics-fixtures';
import { recordStatuses } from './support/simulated-delivery';
import { at, settlingWebhook, webhookEvent as event } from './support/settling-webhook';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());

const totals = async (campaignId: number) => (await campaignTotals(ws.ctx, [campaignId])).get(campaignId)!.counts;

test('settled uncertain messages count as sent; dropped counts a message once and never with a bounce; replays change nothing', async () => {
  const contacts = await seedContacts(ws.ctx, 9);
  const c = await seedCampaign(ws.ctx, { contactIds: contacts });
  const [m1, m2, m3, m4, m5, m6, m7, m8, m9] = c.messageIds;
  await recordStatuses(ws.ctx, [
    ...[m1, m2, m3, m4, m9].map((id) => ({ id, status: 'UNCERTAIN' as const })),
    ...[m5, m6, m7].map((id) => ({ id, status: 'SENT' as const, sentAt: at('2026-03-01T10:00:00Z') })),
  ]);
  // m8 is in a provider call when the provider's webhook overtakes the call's answer.
  const claimed = await claimBatch(app.core, { campaignId: c.campaignId, owner: 'worker-1', limit: 5, leaseMs: 60_000, throttles: [] });
  expect(claimed.ids.map(String)).toEqual([m8]);
  await markDispatching(app.core, { campaignId: c.campaignId, ids: claimed.ids, owner: 'worker-1', leaseMs: 60_000 });
  expect(await totals(c.campaignId)).toMatchObject({ sent: 3, uncertain: 5 });

  const webhook: MessageEventInput[] = [
    ...settlingWebhook([m1, m2, m3, m4, m5, m6, m7]),
    event(m8, 'delivered', '2026-03-01T14:00:00Z', '8d'),
    event(m9, 'spamreport', '2026-03-01T15:00:00Z', '9s'),
  ];
  const lateBounce = [event(m6, 'bounce', '2026-03-01T10:40:00Z', '6b', { bounceClass: 'hard' })];
  await applyMessageEvents(app.core, ws.workspaceId, webhook);
  await applyMessageEvents(app.core, ws.workspaceId, lateBounce);
  // The provider's answer for m8 arrives after its webhook: it was already counted as sent.
  await recordOutcomes(app.core, { owner: 'worker-1', ids: claimed.ids, attempts: [1], outcomes: [{ status: 'accepted', providerMessageId: 'p-8' }], policy: DEFAULT_BACKOFF });

  // sent: all 9; bounced: m2, m5, m6 (m6 was dropped first: it counts as bounced only); dropped: m4 once.
  const expected = { sent: 9, uncertain: 0, deliveryConfirmed: 3, bounced: 3, bouncedHard: 2, bouncedSoft: 1, dropped: 1, opened: 1, clicked: 1, complaints: 1 };
  const t = await totals(c.campaignId);
  expect(t).toMatchObject(expected);
  expect(deliveredOf(t)).toBe(5); // m1, m3, m7, m8, m9
  expect(t.deliveryConfirmed).toBeLessThanOrEqual(deliveredOf(t));
  expect(ratesOf(t)).toMatchObject({ openRate: 1 / 5, bounceRate: 3 / 9, complaintRate: 1 / 5 });

  // Settling sets sent_at to the earliest event proving acceptance; an earlier answer keeps its own.
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT id, status, sent_at FROM messages WHERE campaign_id = ? ORDER BY contact_id', [c.campaignId]);
  expect(rows.map((r) => [r.status, (r.sent_at as Date | null)?.toISOString() ?? null])).toEqual([
    ['DELIVERED', '2026-03-01T12:10:00.000Z'],
    ['BOUNCED', '2026-03-01T12:20:00.000Z'],
    ['DELIVERED', '2026-03-01T12:58:00.000Z'],
    ['DROPPED', '2026-03-01T12:30:00.000Z'],
    ['BOUNCED', '2026-03-01T10:00:00.000Z'],
    ['DROPPED', '2026-03-01T10:00:00.000Z'],
    ['DELIVERED', '2026-03-01T10:00:00.000Z'],
    ['DELIVERED', '2026-03-01T14:00:00.000Z'],
    ['DELIVERED', '2026-03-01T15:00:00.000Z'],
  ]);

  // The provider delivers every webhook again: nothing is inserted, nothing moves.
  const incremental = await rollupSnapshot(ws.ctx, c.campaignId);
  expect(await applyMessageEvents(app.core, ws.workspaceId, [...webhook, ...lateBounce])).toMatchObject({ applied: 0, duplicates: 13 });
  expect(await totals(c.campaignId)).toMatchObject(expected);
  expect(await rollupSnapshot(ws.ctx, c.campaignId)).toEqual(incremental);

  // Each message's sent counts in the hour of its sent_at, as a rebuild from the raw rows says.
  await rebuildCampaignRollups(app.core, { workspaceId: ws.workspaceId, campaignId: c.campaignId });
  expect(await rollupSnapshot(ws.ctx, c.campaignId)).toEqual(incremental);
});
