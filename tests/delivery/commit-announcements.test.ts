// Counter changes are announced when they commit, not when the batch that made them ends: a
// sender batch records its skips first, then renders and calls the provider (seconds for a
// big batch or a slow provider); live subscribers and caches must learn of the skips at once.
// The provider call is held until the skips' announcement arrives — with the announcement
// only at the end of the batch, the hold would time out.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { createIntegration } from '../../core/integrations/integration-configs';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { basicTemplate, manyContacts, seedContacts, testSender } from '../campaigns/campaign-fixtures';
import { trackedWrite } from '../../core/delivery/tracked-write';
import { gatedProvider } from './support/gated-provider';

const gated = gatedProvider({ timeoutMs: 3_000 });
let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp({ plugins: [outbox(), gated.plugin()] });
});
afterAll(() => app.close());

beforeEach(async () => {
  gated.reset();
  ws = await createTestWorkspace(app, { timezone: 'UTC' });
  await createIntegration(ws.ctx, { kind: 'EMAIL_PROVIDER', key: 'test-gated', name: 'Gated', isDefault: true, config: {} });
});

/** What the API's live feed reads: the campaign's skipped counter in its rollup rows. */
async function skippedFigure(campaignId: number): Promise<number> {
  const [[r]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT COALESCE(SUM(skipped), 0) AS n FROM campaign_rollups WHERE campaign_id = ? AND persona_id = 0', [campaignId]);
  return Number(r.n);
}

test("a batch's skips are announced, and visible, while its provider call is still in flight", async () => {
  const contactIds = await seedContacts(ws.ctx, manyContacts(6, {}, `ann${ws.workspaceId}-`));
  const { templateId } = await basicTemplate(ws.ctx);
  const c = await createCampaign(ws.ctx, { name: 'Announced', category: 'MARKETING', from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  await launchCampaign(ws.ctx, c.id);
  // Unsubscribed after the snapshot: the sender skips them (not_consenting) before rendering.
  await app.core.db.sql.query("UPDATE contacts SET consent_status = 'UNSUBSCRIBED' WHERE id IN (?)", [contactIds.slice(0, 2)]);

  const announced: { campaignIds: number[]; skippedThen: Promise<number> }[] = [];
  const off = app.core.bus.on('analytics.rollups.changed', (e) => {
    if (e.workspaceId === ws.workspaceId) announced.push({ campaignIds: e.campaignIds, skippedThen: skippedFigure(c.id) });
  });
  gated.holdUntil(async () => announced.some((a) => a.campaignIds.includes(c.id)));
  try {
    const report = await testSender(app).sendBatch(c.id);
    expect(report).toMatchObject({ sent: 4, skipped: 2 });
    expect(gated.calls.map((call) => call.released)).toEqual(['condition']);
    // The first announcement came after the skips had committed: a reader saw them.
    expect(announced[0].campaignIds).toEqual([c.id]);
    expect(await announced[0].skippedThen).toBe(2);
  } finally {
    off();
  }
});

test('a write that moves no counter, or rolls back, announces nothing', async () => {
  const contactIds = await seedContacts(ws.ctx, manyContacts(2, {}, `quiet${ws.workspaceId}-`));
  const { templateId } = await basicTemplate(ws.ctx);
  const c = await createCampaign(ws.ctx, { name: 'Quiet', category: 'MARKETING', from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  await launchCampaign(ws.ctx, c.id);
  const [ids] = await app.core.db.sql.query<RowDataPacket[]>('SELECT id FROM messages WHERE campaign_id = ? ORDER BY contact_id', [c.id]);
  expect(ids).toHaveLength(contactIds.length);
  const messageIds = ids.map((r) => String(r.id));

  const seen: number[][] = [];
  const off = app.core.bus.on('analytics.rollups.changed', (e) => {
    if (e.workspaceId === ws.workspaceId) seen.push(e.campaignIds);
  });
  try {
    // Touching a column no counter depends on.
    await trackedWrite(app.core, messageIds, (conn) => conn.query('UPDATE messages SET updated_at = NOW(3) WHERE id IN (?)', [messageIds]));
    // A skip that rolls back with its transaction.
    await expect(
      trackedWrite(app.core, messageIds, async (conn) => {
        await conn.query("UPDATE messages SET status = 'SKIPPED', skip_reason = 'suppressed' WHERE id IN (?)", [messageIds]);
        throw new Error('provider exploded');
      }),
    ).rejects.toThrow('provider exploded');
    expect(seen).toEqual([]);
    expect(await skippedFigure(c.id)).toBe(0);
    // And one that commits is announced once.
    await trackedWrite(app.core, messageIds.slice(0, 1), (conn) => conn.query("UPDATE messages SET status = 'SKIPPED', skip_reason = 'suppressed' WHERE id = ?", [messageIds[0]]));
    expect(seen).toEqual([[c.id]]);
    expect(await skippedFigure(c.id)).toBe(1);
  } finally {
    off();
  }
});
