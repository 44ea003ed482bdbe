// A message that cannot be rendered is a failure of ours, not the provider's: it is FAILED with
// the reason, and the batch report (and so /metrics) keeps it apart from provider errors.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import type { TestWorkspace } from '../support/test-app';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { basicTemplate, campaignTestHooks, manyContacts, seedContacts, testSender } from '../campaigns/campaign-fixtures';

let app: App;
let ws: TestWorkspace;

campaignTestHooks((env) => ({ app, ws } = env));

test('render failures are reported as such, apart from provider failures', async () => {
  await seedContacts(ws.ctx, manyContacts(3, {}, `rf${ws.workspaceId}-`));
  const { templateId } = await basicTemplate(ws.ctx);
  const c = await createCampaign(ws.ctx, { name: 'Broken', category: 'MARKETING', from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  await launchCampaign(ws.ctx, c.id);
  // A stored version that no longer parses (saving validates templates, so break it in place).
  await app.core.db.sql.query("UPDATE template_versions SET subject = 'Hi {% if %}' WHERE template_id = ?", [templateId]);

  const batches: { failed: number; renderFailed: number }[] = [];
  const off = app.core.bus.on('campaign.batch.sent', (e) => void (e.campaignId === c.id && batches.push(e)));
  try {
    const report = await testSender(app).sendBatch(c.id);
    expect(report).toMatchObject({ sent: 0, failed: 3, renderFailed: 3, retried: 0 });
    await app.core.bus.idle();
    expect(batches).toEqual([expect.objectContaining({ failed: 3, renderFailed: 3 })]);
  } finally {
    off();
  }
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT status, error FROM messages WHERE campaign_id = ?', [c.id]);
  expect(rows).toHaveLength(3);
  for (const r of rows) expect(r).toEqual({ status: 'FAILED', error: expect.stringMatching(/^template: the subject is not a valid Liquid template/) });
});
