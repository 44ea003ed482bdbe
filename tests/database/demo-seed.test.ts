// The demo workspace `npm start` seeds on an empty database: contacts and events, then
// personas and two campaigns sent in the past with their engagement, all through the
// product's own paths. What a newcomer sees through the API must add up: the campaigns are
// SENT on their days, the dashboard shows opens, clicks and revenue, the persona breakdown
// and top links are filled, and the incrementally kept rollups equal a rebuild from the raw rows.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import { forWorkspace } from '../../core/context';
import { createTestApp } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { seedDemoWorkspace, type DemoSeedResult } from '../../prisma/seed/demo-seed';
import { rebuildCampaignRollups } from '../../core/analytics/rollup-rebuild';
import { rollupSnapshot } from '../analytics/support/analytics-fixtures';

const DAY = 86_400_000;
let app: App;
let demo: DemoSeedResult;

beforeAll(async () => {
  app = await createTestApp({ plugins: [outbox()] });
  demo = await seedDemoWorkspace(app.core, { contacts: 400, days: 60, publicUrl: 'http://personae.test' });
}, 120_000);
afterAll(() => app.close());

interface Dashboard {
  campaignDashboard: {
    edges: {
      node: {
        name: string;
        status: string;
        launchedAt: string;
        completedAt: string;
        metrics: {
          recipients: number; sent: number; delivered: number; bounced: number; opened: number; clicked: number; conversions: number; revenue: number;
          openRate: number; clickRate: number; unsubscribes: number;
          personas: { persona: { slug: string } | null; recipients: number; opened: number }[];
        };
        campaign: { topLinks: { url: string; clicks: number }[] };
      };
    }[];
  };
}

test('personas with members, and two campaigns sent on their days with engagement the API reports', async () => {
  expect(demo).toMatchObject({ contacts: 400, personas: 3, campaigns: 2 });
  const data = await gqlOk<Dashboard>(app, demo.adminKey, `{ campaignDashboard(first: 10) { edges { node { name status launchedAt completedAt metrics {
    recipients sent delivered bounced opened clicked conversions revenue openRate clickRate unsubscribes
    personas(limit: 5) { persona { slug } recipients opened } } campaign { topLinks(limit: 3) { url clicks } } } } } }`);
  const byName = new Map(data.campaignDashboard.edges.map((e) => [e.node.name, e.node]));
  expect([...byName.keys()].sort()).toEqual(['Loyalty weekend', 'Spring newsletter']);

  // Subscribed when the newsletter went out: still subscribed, or opted out through one of the campaigns since.
  const [[subscribed]] = await app.core.db.sql.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM contacts c WHERE c.workspace_id = ? AND (c.consent_status = 'SUBSCRIBED' OR c.id IN (
       SELECT m.contact_id FROM message_events e JOIN messages m ON m.id = e.message_id WHERE e.workspace_id = c.workspace_id AND e.type IN ('unsubscribe', 'spamreport')))`,
    [demo.workspaceId],
  );
  const [[loyal]] = await app.core.db.sql.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM persona_members pm JOIN personas p ON p.id = pm.persona_id WHERE p.workspace_id = ? AND p.slug = 'loyal'", [demo.workspaceId]);
  expect(Number(loyal.n)).toBeGreaterThan(50);

  const spring = byName.get('Spring newsletter')!;
  const weekend = byName.get('Loyalty weekend')!;
  for (const [c, daysAgo] of [[spring, 21], [weekend, 6]] as const) {
    expect(c.status).toBe('SENT');
    expect(Math.round((Date.now() - Date.parse(c.launchedAt)) / DAY)).toBe(daysAgo);
    expect(Date.parse(c.completedAt)).toBeGreaterThan(Date.parse(c.launchedAt));
    const m = c.metrics;
    expect(m.sent).toBeGreaterThan(0);
    expect(m.delivered + m.bounced).toBe(m.sent);
    expect(m.openRate).toBeGreaterThan(0.2);
    expect(m.openRate).toBeLessThan(0.7);
    expect(m.clicked).toBeGreaterThan(0);
    expect(m.clicked).toBeLessThanOrEqual(m.opened);
    expect(c.campaign.topLinks.length).toBeGreaterThan(0);
    expect(c.campaign.topLinks[0].url).toMatch(/^https:\/\/shop\.example\.com\//);
    expect(m.personas.length).toBeGreaterThan(0);
  }
  // The newsletter went to every subscribed contact; the weekend campaign to loyalty members only.
  expect(spring.metrics.recipients).toBe(Number(subscribed.n));
  expect(weekend.metrics.recipients).toBeLessThanOrEqual(Number(loyal.n));
  expect(weekend.metrics.personas.find((p) => p.persona?.slug === 'loyal')?.recipients).toBe(weekend.metrics.recipients);
  expect(spring.metrics.conversions + weekend.metrics.conversions).toBeGreaterThan(0);
  expect(spring.metrics.revenue + weekend.metrics.revenue).toBeGreaterThan(0);
}, 60_000);

test('nothing is left in flight, events follow each other and none is dated after now, and the rollups equal a rebuild from the raw rows', async () => {
  const [states] = await app.core.db.sql.query<RowDataPacket[]>('SELECT DISTINCT status FROM messages WHERE workspace_id = ?', [demo.workspaceId]);
  for (const s of states.map((r) => r.status)) expect(['SENT', 'DELIVERED', 'BOUNCED', 'SKIPPED']).toContain(s);
  const [[future]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM message_events WHERE workspace_id = ? AND occurred_at > NOW(3)', [demo.workspaceId]);
  expect(Number(future.n)).toBe(0);
  const [[outOfOrder]] = await app.core.db.sql.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS n FROM messages WHERE workspace_id = ? AND (opened_at < sent_at OR clicked_at < opened_at OR converted_at < clicked_at)', [demo.workspaceId]);
  expect(Number(outOfOrder.n)).toBe(0);

  const ctx = forWorkspace(app.core, demo.workspaceId);
  const [campaigns] = await app.core.db.sql.query<RowDataPacket[]>('SELECT id FROM campaigns WHERE workspace_id = ?', [demo.workspaceId]);
  for (const { id } of campaigns) {
    const incremental = await rollupSnapshot(ctx, id);
    expect(incremental.counters.length).toBeGreaterThan(0);
    await rebuildCampaignRollups(app.core, { workspaceId: demo.workspaceId, campaignId: id });
    expect(await rollupSnapshot(ctx, id)).toEqual(incremental);
  }
}, 60_000);
