// Shared set-up for campaign and delivery tests: a controllable clock, bulk contacts, a
// template, and a sender that runs batches in process until nothing is due.
import type { App } from '../../api/app';
import type { WorkspaceContext } from '../../core/context';
import { createTemplate } from '../../core/templates';
import { CampaignSender, type SenderOptions } from '../../core/delivery/campaign-sender';
import { campaignsWithDueMessages } from '../../core/delivery/delivery-maintenance';
import { runDeliveryChores } from '../../api/workers/delivery-scheduler.loop';
import { outbox } from '../../plugins/outbox';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';

/** Where every campaign test's clock starts. */
export const CLOCK_START = new Date('2030-03-04T12:00:00.000Z');

export type TestClock = ReturnType<typeof controlClock>;

/**
 * The hooks of a campaign or delivery test file: one app with the outbox provider and a
 * controlled clock for the file; before each test the clock back at CLOCK_START and a fresh
 * workspace. `bind` hands them to the file's variables (after the app starts, then before
 * each test): `campaignTestHooks((env) => ({ app, ws, clock } = env))`.
 */
export function campaignTestHooks(
  bind: (env: { app: App; ws: TestWorkspace; clock: TestClock }) => void,
  workspace: Parameters<typeof createTestWorkspace>[1] = {},
): void {
  let app: App;
  let clock: TestClock;
  let ws: TestWorkspace;
  beforeAll(async () => {
    app = await createTestApp({ plugins: [outbox()] });
    clock = controlClock(app);
    bind({ app, ws, clock });
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    clock.set(CLOCK_START);
    ws = await createTestWorkspace(app, workspace);
    bind({ app, ws, clock });
  });
}

/** Replaces the app's clock (before workspaces are created: contexts copy `now`). */
export function controlClock(app: App, start = CLOCK_START) {
  const clock = { t: start };
  app.core.now = () => clock.t;
  return {
    get now() {
      return clock.t;
    },
    set(t: Date) {
      clock.t = t;
    },
    advance(ms: number) {
      clock.t = new Date(clock.t.getTime() + ms);
    },
  };
}

export interface SeedContact {
  email: string | null;
  firstName?: string;
  consent?: 'UNKNOWN' | 'PENDING' | 'SUBSCRIBED' | 'UNSUBSCRIBED';
  timezone?: string | null;
  attributes?: Record<string, unknown>;
}

/** Inserts contacts in one statement; returns their ids in order. */
export async function seedContacts(ctx: WorkspaceContext, contacts: SeedContact[]): Promise<number[]> {
  if (!contacts.length) return [];
  const now = ctx.now();
  const rows = contacts.map((c) => [
    ctx.workspaceId, c.email, c.email?.toLowerCase() ?? null, c.firstName ?? null, c.timezone ?? null,
    c.attributes ? JSON.stringify(c.attributes) : null, c.consent ?? 'SUBSCRIBED', now, now,
  ]);
  const [res] = await ctx.db.sql.query(
    'INSERT INTO contacts (workspace_id, email, email_normalized, first_name, timezone, attributes, consent_status, created_at, updated_at) VALUES ?',
    [rows],
  );
  const first = (res as { insertId: number }).insertId;
  const [ids] = await ctx.db.sql.query<import('mysql2/promise').RowDataPacket[]>(
    'SELECT id FROM contacts WHERE workspace_id = ? AND id >= ? ORDER BY id LIMIT ?', [ctx.workspaceId, first, contacts.length]);
  return ids.map((r) => r.id);
}

/** `n` subscribed contacts a0@example.com … */
export function manyContacts(n: number, over: Partial<SeedContact> = {}, prefix = 'r'): SeedContact[] {
  return Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.com`, firstName: `Name${i}`, consent: 'SUBSCRIBED' as const, ...over }));
}

export const BASIC_MJML = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Hello {{ contact.first_name | default: "friend" }}!</mj-text>
  <mj-button href="https://shop.example.com/sale">Shop the sale</mj-button>
  <mj-text><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

export async function basicTemplate(ctx: WorkspaceContext, name = 'Basic', subject = 'Hi {{ contact.first_name | default: "there" }}') {
  return createTemplate(ctx, { name, content: { subject, mjml: BASIC_MJML } });
}

export function testSender(app: App, opts: Partial<SenderOptions> = {}) {
  return new CampaignSender(app.core, { owner: `test-${process.pid}`, publicUrl: 'http://personae.test', random: () => 0.5, ...opts });
}

/** Runs scheduler chores and batches until no campaign of the workspace has anything due. */
export async function drain(app: App, sender: CampaignSender, workspaceId: number, opts: { maxRounds?: number } = {}): Promise<number> {
  let sent = 0;
  let idle = 0;
  for (let round = 0; round < (opts.maxRounds ?? 1000); round++) {
    await runDeliveryChores(app.core, { scan: { settleMs: 0 }, workspaceId });
    const ids = await campaignsWithDueMessages(app.core, { workspaceId });
    if (!ids.length) {
      // Due enrollments left: another test file's scheduler had them locked for a moment
      // (SKIP LOCKED passes over them). Try again shortly.
      if ((await dueEnrollments(app, workspaceId)) && ++idle <= 50) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      break;
    }
    let claimed = 0;
    let throttled = false;
    for (const id of ids) {
      const r = await sender.sendBatch(id);
      sent += r.sent;
      claimed += r.claimed;
      throttled ||= !!r.throttledUntil;
    }
    // Nothing could be claimed because of a throttle: come back when the test moves the clock.
    if (!claimed && throttled) break;
    // Nothing claimed without a throttle: SKIP LOCKED passed over rows another test file's
    // claim had locked for a moment (files run in parallel on one database). Try again shortly.
    if (!claimed) {
      if (++idle > 50) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  await runDeliveryChores(app.core, { scan: { settleMs: 0 }, workspaceId });
  await app.core.bus.idle();
  return sent;
}

/** WAITING trigger enrollments of ACTIVE campaigns whose delay has passed. */
async function dueEnrollments(app: App, workspaceId: number): Promise<number> {
  const [[row]] = await app.core.db.sql.query<import('mysql2/promise').RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM trigger_enrollments te JOIN campaigns c ON c.id = te.campaign_id AND c.status = 'ACTIVE'
      WHERE te.workspace_id = ? AND te.status = 'WAITING' AND te.due_at <= ?`,
    [workspaceId, app.core.now()],
  );
  return Number(row.n);
}

/** Message counts by status for a campaign. */
export async function statusCounts(app: App, campaignId: number): Promise<Record<string, number>> {
  const [rows] = await app.core.db.sql.query<import('mysql2/promise').RowDataPacket[]>(
    'SELECT status, COUNT(*) AS n FROM messages WHERE campaign_id = ? GROUP BY status', [campaignId]);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
