// The rollups kept by the real delivery code — launch snapshot, sender (skips, sends), open
// pixel and click redirect, provider webhooks (replayed), conversions, the A/B release, the
// lease reaper (uncertain) — equal a rebuild from the raw rows, and say what happened.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { applyMessageEvents, type MessageEventInput } from '../../core/delivery/message-events';
import { claimBatch, markDispatching } from '../../core/delivery/message-claim';
import { runDeliveryChores } from '../../api/workers/delivery-scheduler.loop';
import { addSuppressions } from '../../core/suppressions/suppressions';
import { rebuildCampaignRollups } from '../../core/analytics/rollup-rebuild';
import { campaignTotals, variantBreakdown, personaBreakdown } from '../../core/analytics/campaign-stats';
import { deliveredOf } from '../../core/analytics/metric-definitions';
import { basicTemplate, controlClock, drain, manyContacts, seedContacts, testSender } from '../campaigns/campaign-fixtures';
import { rollupSnapshot, seedPersona } from './support/analytics-fixtures';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

let app: App;
let ws: TestWorkspace;
let clock: ReturnType<typeof controlClock>;

beforeAll(async () => {
  app = await createTestApp({ plugins: [outbox()] });
  clock = controlClock(app);
});
afterAll(() => app.close());

async function outboxLinks(campaignId: number): Promise<{ messageId: string; subject: string; pixel: string; clicks: string[] }[]> {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>(
    'SELECT o.subject, o.html, m.id AS message_id FROM outbox_messages o JOIN messages m ON m.workspace_id = o.workspace_id AND m.email = o.to_email WHERE m.campaign_id = ? ORDER BY m.id',
    [campaignId],
  );
  return rows.map((r) => ({
    messageId: String(r.message_id),
    subject: r.subject,
    pixel: new URL(r.html.match(/http:\/\/personae\.test\/t\/o\/[A-Za-z0-9_-]+/)[0]).pathname,
    clicks: [...r.html.matchAll(/http:\/\/personae\.test\/t\/c\/[A-Za-z0-9_-]+/g)].map((m: RegExpMatchArray) => new URL(m[0]).pathname),
  }));
}

const hit = async (path: string, userAgent = BROWSER) => (await app.yoga.fetch(`http://personae.test${path}`, { headers: { 'user-agent': userAgent }, redirect: 'manual' })).status;

test('rollups kept by the delivery code equal a rebuild from the raw rows', async () => {
  clock.set(new Date('2030-05-04T09:00:00.000Z'));
  ws = await createTestWorkspace(app);
  const contacts = await seedContacts(ws.ctx, manyContacts(60, {}, `dr${Date.now()}-`));
  await seedPersona(ws.ctx, 'first-half', contacts.slice(0, 30));
  await seedPersona(ws.ctx, 'middle', contacts.slice(20, 45));
  const { templateId } = await basicTemplate(ws.ctx);
  const c = await createCampaign(ws.ctx, {
    name: 'Rollups', from: { email: 'shop@example.com' },
    variants: [{ templateId, subject: 'Plain' }, { templateId, subject: 'Bold' }],
    abTest: { testFraction: 0.5, metric: 'OPEN', windowMinutes: 60, fallback: 'CONTROL' },
  });
  await launchCampaign(ws.ctx, c.id);
  expect((await campaignTotals(ws.ctx, [c.id])).get(c.id)!.counts.recipients).toBe(60);

  // Between snapshot and send: two addresses get suppressed, one contact withdraws consent.
  const [late] = await app.core.db.sql.query<RowDataPacket[]>("SELECT contact_id, email FROM messages WHERE campaign_id = ? AND status = 'QUEUED' ORDER BY id LIMIT 3", [c.id]);
  await addSuppressions(ws.ctx, { emails: [late[0].email, late[1].email], reason: 'MANUAL' });
  await app.core.db.sql.query("UPDATE contacts SET consent_status = 'UNSUBSCRIBED' WHERE id = ?", [late[2].contact_id]);
  const sender = testSender(app, { batchSize: 10 });
  await drain(app, sender, ws.workspaceId);

  clock.advance(10 * 60_000);
  const sent = await outboxLinks(c.id);
  for (const m of sent.slice(0, 12)) expect(await hit(m.pixel)).toBe(200);
  for (const m of sent.slice(0, 3)) expect(await hit(m.pixel, 'Mozilla/5.0')).toBe(200); // Apple MPP prefetch
  for (const m of sent.slice(10, 16)) expect(await hit(m.clicks[0])).toBe(302);
  expect(await hit(sent[10].clicks[0])).toBe(302);
  const webhook: MessageEventInput[] = sent.slice(0, 20).map((m, i) => ({
    messageId: BigInt(m.messageId), type: i === 19 ? 'bounce' : 'delivered', bounceClass: i === 19 ? 'hard' : null,
    occurredAt: clock.now, source: 'webhook:test', dedupeKey: `test:${m.messageId}:${i === 19 ? 'b' : 'd'}`,
  }));
  await applyMessageEvents(app.core, ws.workspaceId, webhook);
  await applyMessageEvents(app.core, ws.workspaceId, webhook); // replayed by the provider
  await applyMessageEvents(app.core, ws.workspaceId, [{ messageId: BigInt(sent[11].messageId), type: 'conversion', occurredAt: clock.now, source: 'attribution', dedupeKey: 'conversion:t1', value: 49.9 }]);

  // The window passes: the winner is chosen and the held half goes out with it.
  clock.advance(70 * 60_000);
  await drain(app, sender, ws.workspaceId);
  const variants = (await variantBreakdown(ws.ctx, [c.id])).get(c.id)!;
  expect(variants.reduce((n, v) => n + v.counts.recipients, 0)).toBe(60);

  // A worker dies mid-call on a second campaign: its messages become UNCERTAIN, one is settled by a webhook.
  const small = await createCampaign(ws.ctx, { name: 'Small', from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  await launchCampaign(ws.ctx, small.id);
  const claimed = await claimBatch(app.core, { campaignId: small.id, owner: 'dead-worker', limit: 5, leaseMs: 1_000, throttles: [] });
  await markDispatching(app.core, { campaignId: small.id, ids: claimed.ids, owner: 'dead-worker', leaseMs: 1_000 });
  clock.advance(5 * 60_000);
  await runDeliveryChores(app.core, { scan: { settleMs: 0 }, workspaceId: ws.workspaceId });
  expect((await campaignTotals(ws.ctx, [small.id])).get(small.id)!.counts.uncertain).toBe(5);
  // Settled by a delivery, a bounce, and two dropped events (replayed): each now counts as sent, the dropped one once.
  const lateEvent = (i: number, type: MessageEventInput['type'], key: string): MessageEventInput => ({ messageId: claimed.ids[i], type, occurredAt: clock.now, source: 'webhook:test', dedupeKey: key });
  const settling = [lateEvent(0, 'delivered', 'late:1'), lateEvent(1, 'bounce', 'late:2'), lateEvent(2, 'dropped', 'late:3'), lateEvent(2, 'dropped', 'late:4')];
  await applyMessageEvents(app.core, ws.workspaceId, settling);
  await applyMessageEvents(app.core, ws.workspaceId, settling);
  const settled = (await campaignTotals(ws.ctx, [small.id])).get(small.id)!.counts;
  expect(settled).toMatchObject({ uncertain: 2, sent: 3, deliveryConfirmed: 1, bounced: 1, dropped: 1 });
  expect(deliveredOf(settled)).toBe(1);

  const t = (await campaignTotals(ws.ctx, [c.id])).get(c.id)!.counts;
  expect(t).toMatchObject({
    recipients: 60, skipped: 3, skippedSuppressed: 2, sent: 57, deliveryConfirmed: 19, bounced: 1, bouncedHard: 1,
    opened: 16, openedAny: 16, opens: 12, opensAny: 15, clicked: 6, clicks: 7, conversions: 1, revenue: 49.9,
  });
  expect((await personaBreakdown(ws.ctx, [c.id])).get(c.id)!.map((p) => p.counts.recipients).sort()).toEqual([25, 30]);

  for (const id of [c.id, small.id]) {
    const incremental = await rollupSnapshot(ws.ctx, id);
    await rebuildCampaignRollups(app.core, { workspaceId: ws.workspaceId, campaignId: id });
    expect(await rollupSnapshot(ws.ctx, id)).toEqual(incremental);
  }
});
