// The event scan of a worker dedicated to one workspace (and of every test): its own cursor,
// that workspace's events only. Another workspace's events wait for their own scan, and a scan
// of one workspace never takes, skips or moves another's cursor.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { scanEvents } from '../../core/delivery/event-scanner';
import { trackEvents } from '../../core/events/track-events';
import { outbox } from '../../plugins/outbox';
import { basicTemplate, controlClock, seedContacts } from '../campaigns/campaign-fixtures';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';

let app: App;

beforeAll(async () => {
  app = await createTestApp({ plugins: [outbox()] });
  controlClock(app);
});
afterAll(() => app.close());

/** A workspace with an ACTIVE campaign triggered by `signup`, and one contact who signs up. */
async function signedUp(): Promise<{ ws: TestWorkspace; campaignId: number }> {
  const ws = await createTestWorkspace(app);
  const { templateId } = await basicTemplate(ws.ctx);
  const c = await createCampaign(ws.ctx, { name: 'Welcome', type: 'TRIGGERED', from: { email: 'shop@example.com' }, variants: [{ templateId }], trigger: { kind: 'EVENT', eventType: 'signup' } });
  await launchCampaign(ws.ctx, c.id);
  const [contactId] = await seedContacts(ws.ctx, [{ email: `new-${ws.workspaceId}@example.com` }]);
  await trackEvents(ws.ctx, { source: 'api', events: [{ type: 'signup', contactId }] });
  return { ws, campaignId: c.id };
}

async function enrolled(campaignId: number): Promise<number> {
  const [[row]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM trigger_enrollments WHERE campaign_id = ?', [campaignId]);
  return Number(row.n);
}

async function cursor(workspaceId: number): Promise<bigint | null> {
  const [[row]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT position FROM delivery_cursors WHERE name = ?', [`events:workspace:${workspaceId}`]);
  return row ? BigInt(row.position) : null;
}

test("a workspace's scan enrolls from its own events only, with a cursor of its own", async () => {
  const a = await signedUp();
  const b = await signedUp();
  expect(await scanEvents(app.core, { workspaceId: a.ws.workspaceId, settleMs: 0 })).toBe(1);
  expect(await enrolled(a.campaignId)).toBe(1);
  expect(await enrolled(b.campaignId)).toBe(0);
  expect(await cursor(b.ws.workspaceId)).toBeNull();

  expect(await scanEvents(app.core, { workspaceId: b.ws.workspaceId, settleMs: 0 })).toBe(1);
  expect(await enrolled(b.campaignId)).toBe(1);
  // Caught up: nothing more for either, and a's cursor did not move for b's scan.
  const aCursor = await cursor(a.ws.workspaceId);
  expect(await scanEvents(app.core, { workspaceId: a.ws.workspaceId, settleMs: 0 })).toBe(0);
  expect(await cursor(a.ws.workspaceId)).toBe(aCursor);
});

test('events younger than the settle time wait for a later scan', async () => {
  const a = await signedUp();
  expect(await scanEvents(app.core, { workspaceId: a.ws.workspaceId, settleMs: 60_000 })).toBe(0);
  expect(await enrolled(a.campaignId)).toBe(0);
  const clock = controlClock(app, new Date(app.core.now().getTime() + 61_000));
  expect(await scanEvents(app.core, { workspaceId: a.ws.workspaceId, settleMs: 60_000 })).toBe(1);
  expect(await enrolled(a.campaignId)).toBe(1);
  clock.set(new Date('2030-03-04T12:00:00.000Z'));
});
