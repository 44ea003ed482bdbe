// Triggered campaigns: cart abandonment (add_to_cart, then no purchase within an hour) fires
// once and exits on purchase; welcome on signup with an every-N-days re-entry rule; win-back
// when a contact's lifecycle stage becomes LAPSED.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import type { TestWorkspace } from '../support/test-app';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { trackEvents } from '../../core/events/track-events';
import type { TriggerSpec } from '../../core/campaigns/campaign-input';
import { runDeliveryChores } from '../../api/workers/delivery-scheduler.loop';
import { basicTemplate, campaignTestHooks, drain, seedContacts, type TestClock, testSender } from './campaign-fixtures';

let app: App;
let ws: TestWorkspace;
let clock: TestClock;

campaignTestHooks((env) => ({ app, ws, clock } = env));

async function triggered(trigger: Partial<TriggerSpec> & { kind: 'EVENT' | 'LIFECYCLE' }) {
  const { templateId } = await basicTemplate(ws.ctx);
  const c = await createCampaign(ws.ctx, { name: 'Auto', type: 'TRIGGERED', from: { email: 'shop@example.com' }, variants: [{ templateId }], trigger });
  expect(await launchCampaign(ws.ctx, c.id)).toMatchObject({ status: 'ACTIVE' });
  return c.id;
}

async function track(contactId: number, type: string) {
  await trackEvents(ws.ctx, { source: 'api', events: [{ type, contactId }] });
}

async function sentTo(campaignId: number): Promise<string[]> {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>("SELECT email FROM messages WHERE campaign_id = ? AND status = 'SENT' ORDER BY email", [campaignId]);
  return rows.map((r) => r.email);
}

async function enrollments(campaignId: number) {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>(
    'SELECT c.email, te.status, te.exit_reason FROM trigger_enrollments te JOIN contacts c ON c.id = te.contact_id WHERE te.campaign_id = ? ORDER BY c.email, te.id', [campaignId]);
  return rows.map((r) => [r.email, r.status, r.exit_reason]);
}

test('cart abandonment: sent an hour after add_to_cart unless a purchase came first; fires once per contact', async () => {
  const campaignId = await triggered({ kind: 'EVENT', eventType: 'add_to_cart', delayMinutes: 60, exitEventType: 'purchase', reentry: { mode: 'ONCE' } });
  const [x, y, z] = await seedContacts(ws.ctx, [{ email: 'x@example.com' }, { email: 'y@example.com' }, { email: 'z@example.com' }]);
  const sender = testSender(app);
  await track(x, 'add_to_cart');
  await track(y, 'add_to_cart');
  await track(z, 'add_to_cart');
  await drain(app, sender, ws.workspaceId);
  clock.advance(10 * 60_000);
  await track(z, 'add_to_cart'); // already waiting: no second entry
  clock.advance(20 * 60_000);
  await track(y, 'purchase');
  expect(await drain(app, sender, ws.workspaceId)).toBe(0);

  clock.advance(31 * 60_000);
  expect(await drain(app, sender, ws.workspaceId)).toBe(2);
  expect(await sentTo(campaignId)).toEqual(['x@example.com', 'z@example.com']);
  expect(await enrollments(campaignId)).toEqual([
    ['x@example.com', 'SENT', null],
    ['y@example.com', 'EXITED', 'exit event "purchase" happened'],
    ['z@example.com', 'SENT', null],
  ]);

  // ONCE: a later abandoned cart does not enter again.
  clock.advance(2 * 86_400_000);
  await track(x, 'add_to_cart');
  clock.advance(2 * 3600_000);
  expect(await drain(app, sender, ws.workspaceId)).toBe(0);
  expect(await sentTo(campaignId)).toEqual(['x@example.com', 'z@example.com']);
});

test('welcome on signup, with re-entry at most every 7 days', async () => {
  await app.core.db.sql.query('UPDATE workspaces SET settings = ? WHERE id = ?', [JSON.stringify({ frequencyCap: { maxMessages: 10, windowDays: 30, minHoursBetween: 0 } }), ws.workspaceId]);
  const campaignId = await triggered({ kind: 'EVENT', eventType: 'signup', reentry: { mode: 'EVERY_N_DAYS', days: 7 } });
  const [ada] = await seedContacts(ws.ctx, [{ email: 'ada@example.com' }]);
  const sender = testSender(app);
  await track(ada, 'signup');
  expect(await drain(app, sender, ws.workspaceId)).toBe(1);
  clock.advance(86_400_000);
  await track(ada, 'signup');
  expect(await drain(app, sender, ws.workspaceId)).toBe(0);
  clock.advance(7 * 86_400_000);
  await track(ada, 'signup');
  expect(await drain(app, sender, ws.workspaceId)).toBe(1);
  expect(await sentTo(campaignId)).toEqual(['ada@example.com', 'ada@example.com']);
});

test("a triggered message's recipient is announced when its row commits, before any send", async () => {
  const campaignId = await triggered({ kind: 'EVENT', eventType: 'signup' });
  const [bea] = await seedContacts(ws.ctx, [{ email: 'bea@example.com' }]);
  await track(bea, 'signup');
  const recipients = async () => {
    const [[r]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT COALESCE(SUM(recipients), 0) AS n FROM campaign_rollups WHERE campaign_id = ? AND persona_id = 0', [campaignId]);
    return Number(r.n);
  };
  const seen: Promise<number>[] = [];
  const off = app.core.bus.on('analytics.rollups.changed', (e) => {
    if (e.workspaceId === ws.workspaceId && e.campaignIds.includes(campaignId)) seen.push(recipients());
  });
  try {
    // The scheduler's chores (enrol, then create the due message), no sender: live figures and
    // caches must learn of the new recipient now. Another test file's scheduler may hold the
    // enrollment for a moment (SKIP LOCKED): try again.
    for (let i = 0; i < 50 && (await recipients()) === 0; i++) await runDeliveryChores(app.core, { scan: { settleMs: 0 }, workspaceId: ws.workspaceId });
    await app.core.bus.idle();
    expect(seen).toHaveLength(1);
    expect(await seen[0]).toBe(1);
  } finally {
    off();
  }
});

test('win-back: contacts who become LAPSED after launch get it; those already lapsed at launch do not', async () => {
  const [old, fresh] = await seedContacts(ws.ctx, [{ email: 'old@example.com' }, { email: 'fresh@example.com' }]);
  const profile = (id: number, stage: string) =>
    app.core.db.sql.query('INSERT INTO contact_profiles (contact_id, workspace_id, lifecycle_stage, computed_at) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE lifecycle_stage = VALUES(lifecycle_stage)', [id, ws.workspaceId, stage, clock.now]);
  await profile(old, 'LAPSED');
  await profile(fresh, 'ACTIVE');
  const campaignId = await triggered({ kind: 'LIFECYCLE', lifecycleStage: 'LAPSED' });
  const sender = testSender(app);
  expect(await drain(app, sender, ws.workspaceId)).toBe(0);
  await profile(fresh, 'LAPSED');
  expect(await drain(app, sender, ws.workspaceId)).toBe(1);
  expect(await sentTo(campaignId)).toEqual(['fresh@example.com']);
  expect((await enrollments(campaignId)).map((e) => e.slice(0, 2))).toEqual([['fresh@example.com', 'SENT'], ['old@example.com', 'SKIPPED']]);
});
