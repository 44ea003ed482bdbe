// `npm run analytics:rebuild` as an operator runs it: a separate process on the configured
// database. Rollups made wrong by hand are put back to what the raw rows say, for the campaign
// named and no other; a campaign of another workspace is refused as missing.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, testDatabaseUrl } from '../support/test-app';
import { rollupSnapshot, seedCampaign, seedContacts } from './support/analytics-fixtures';
import { recordEvents, recordStatuses } from './support/simulated-delivery';

jest.setTimeout(120_000);

let app: App;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

function rebuild(...args: string[]) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/rebuild-rollups.ts', ...args], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('analytics:rebuild puts a campaign\'s rollups back to what the raw rows say', async () => {
  const ws = await createTestWorkspace(app);
  const other = await createTestWorkspace(app);
  const slug = (await app.core.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.workspaceId } })).slug;
  const contacts = await seedContacts(ws.ctx, 4);
  const [c1, c2] = [await seedCampaign(ws.ctx, { contactIds: contacts }), await seedCampaign(ws.ctx, { contactIds: contacts })];
  for (const c of [c1, c2]) {
    await recordStatuses(ws.ctx, c.messageIds.map((id) => ({ id, status: 'SENT' as const, sentAt: new Date('2026-03-01T10:00:00Z') })));
    await recordEvents(ws.ctx, [{ messageId: c.messageIds[0], type: 'open', occurredAt: new Date('2026-03-01T10:05:00Z') }]);
  }
  const right = await rollupSnapshot(ws.ctx, c1.campaignId);
  const c2Right = await rollupSnapshot(ws.ctx, c2.campaignId);
  const wrong = 'UPDATE campaign_rollups SET sent = sent + 7, opened = 0 WHERE campaign_id = ?';
  for (const c of [c1, c2]) await app.core.db.sql.query(wrong, [c.campaignId]);
  const c2Wrong = await rollupSnapshot(ws.ctx, c2.campaignId);
  expect(await rollupSnapshot(ws.ctx, c1.campaignId)).not.toEqual(right);

  const run = rebuild('--workspace', slug, '--campaign', String(c1.campaignId));
  expect([run.status, run.stdout.trim(), run.stderr.replace(/npm warn.*\n/g, '')]).toEqual([0, `rebuilt campaign ${c1.campaignId}`, '']);
  expect(await rollupSnapshot(ws.ctx, c1.campaignId)).toEqual(right);
  expect(await rollupSnapshot(ws.ctx, c2.campaignId)).toEqual(c2Wrong);

  // The whole workspace: c2 too.
  const all = rebuild('--workspace', slug);
  expect([all.status, all.stdout.trim()]).toEqual([0, `${slug}: 2 campaigns rebuilt`]);
  expect(await rollupSnapshot(ws.ctx, c2.campaignId)).toEqual(c2Right);

  const otherSlug = (await app.core.db.prisma.workspace.findUniqueOrThrow({ where: { id: other.workspaceId } })).slug;
  const foreign = rebuild('--workspace', otherSlug, '--campaign', String(c1.campaignId));
  expect([foreign.status, foreign.stderr.trim()]).toEqual([1, `analytics:rebuild failed: no campaign ${c1.campaignId} in workspace "${otherSlug}"`]);
});
