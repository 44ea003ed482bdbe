// The data migration 20261123100000_settle_uncertain_rebuild_rollups on a database that was
// written before it: a scratch database migrated up to the migration before, messages and
// events written by the real code, then put back the way the earlier code left them (settled
// messages without sent_at, a spam-reported one still UNCERTAIN, rollups that count otherwise).
// After the migration the rows are what the code writes now, a rebuild is queued for the
// affected campaign only, and the workers' run of it gives the rollups the code keeps now.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { createJobWorker } from '../../api/workers/job-worker';
import { applyMessageEvents } from '../../core/delivery/message-events';
import { MIGRATIONS_DIR, migrate } from '../../scripts/db/migration-runner';
import { rollupSnapshot, seedCampaign, seedContacts } from '../analytics/support/analytics-fixtures';
import { recordStatuses } from '../analytics/support/simulated-delivery';
import { at, settlingWebhook, webhookEvent as event } from '../analytics/support/settling-webhook';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { scratchDatabase, type ScratchDatabase } from '../support/scratch-database';

jest.setTimeout(120_000);

const MIGRATION = '20261123100000_settle_uncertain_rebuild_rollups';
let db: ScratchDatabase;
let before: string;
let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  db = await scratchDatabase('upgrade');
  // The migrations as they were before this one.
  before = mkdtempSync(path.join(os.tmpdir(), 'personae-migrations-'));
  for (const d of readdirSync(MIGRATIONS_DIR, { withFileTypes: true })) {
    if (d.isDirectory() && d.name < MIGRATION) cpSync(path.join(MIGRATIONS_DIR, d.name), path.join(before, d.name), { recursive: true });
  }
  await migrate(db.url, { dir: before });
  app = await createTestApp({ databaseUrl: db.url });
  ws = await createTestWorkspace(app);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
  rmSync(before, { recursive: true, force: true });
});

async function messageRows(campaignId: number) {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT status, sent_at FROM messages WHERE campaign_id = ? ORDER BY contact_id', [campaignId]);
  return rows.map((r) => [r.status, (r.sent_at as Date | null)?.toISOString() ?? null]);
}

async function jobsOfWorkspace() {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT kind, status, payload, dedupe_key FROM jobs WHERE workspace_id = ? ORDER BY id', [ws.workspaceId]);
  return rows.map((r) => ({ kind: r.kind, status: r.status, payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload, dedupeKey: r.dedupe_key }));
}

test('the upgrade dates settled messages, settles spam-reported ones, and has the workers rebuild the affected rollups', async () => {
  const contacts = await seedContacts(ws.ctx, 10);
  const c = await seedCampaign(ws.ctx, { contactIds: contacts.slice(0, 8) });
  const [m1, m2, m3, m4, m5, m6, m7, m8] = c.messageIds;
  // Untouched by both changes: sent with an answer, delivered, no dropped event.
  const u = await seedCampaign(ws.ctx, { contactIds: contacts.slice(8) });
  await recordStatuses(ws.ctx, [
    ...[m1, m2, m3, m4, m8].map((id) => ({ id, status: 'UNCERTAIN' as const })),
    ...[m5, m6, m7, ...u.messageIds].map((id) => ({ id, status: 'SENT' as const, sentAt: at('2026-03-01T10:00:00Z') })),
  ]);
  await applyMessageEvents(app.core, ws.workspaceId, [
    ...settlingWebhook([m1, m2, m3, m4, m5, m6, m7]),
    event(m8, 'spamreport', '2026-03-01T15:00:00Z', '8s'),
    ...u.messageIds.map((id, i) => event(id, 'delivered', '2026-03-01T10:30:00Z', `u${i}`)),
  ]);
  const rowsNow = await messageRows(c.campaignId);
  const rollupsNow = await rollupSnapshot(ws.ctx, c.campaignId);
  const untouched = { rows: await messageRows(u.campaignId), rollups: await rollupSnapshot(ws.ctx, u.campaignId) };

  // What the earlier code left: no sent_at without an answer, a spam report settling nothing,
  // and counters kept its way (sent without those, dropped per event).
  await app.core.db.sql.query('UPDATE messages SET sent_at = NULL WHERE id IN (?)', [[m1, m2, m3, m4]]);
  await app.core.db.sql.query("UPDATE messages SET sent_at = NULL, status = 'UNCERTAIN' WHERE id = ?", [m8]);
  await app.core.db.sql.query('UPDATE campaign_rollups SET sent = 0, dropped = dropped + 2, uncertain = uncertain + 1 WHERE campaign_id = ? AND persona_id = 0 ORDER BY variant_id, bucket_at LIMIT 1', [c.campaignId]);
  expect(await messageRows(c.campaignId)).not.toEqual(rowsNow);
  expect(await rollupSnapshot(ws.ctx, c.campaignId)).not.toEqual(rollupsNow);

  expect((await migrate(db.url)).applied).toContain(MIGRATION);

  expect(await messageRows(c.campaignId)).toEqual(rowsNow);
  expect(rowsNow[7]).toEqual(['DELIVERED', '2026-03-01T15:00:00.000Z']);
  expect(await jobsOfWorkspace()).toEqual([{ kind: 'analytics.rebuild', status: 'QUEUED', payload: { campaignId: c.campaignId }, dedupeKey: `campaign:${c.campaignId}` }]);

  // The workers' job loop runs it as it runs any rebuild.
  const worker = createJobWorker(app.core, { pollMs: 50, workspaceId: ws.workspaceId });
  worker.start();
  try {
    const deadline = Date.now() + 30_000;
    while ((await jobsOfWorkspace())[0].status !== 'SUCCEEDED' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await worker.stop();
  }
  expect((await jobsOfWorkspace())[0].status).toBe('SUCCEEDED');
  expect(await rollupSnapshot(ws.ctx, c.campaignId)).toEqual(rollupsNow);
  expect({ rows: await messageRows(u.campaignId), rollups: await rollupSnapshot(ws.ctx, u.campaignId) }).toEqual(untouched);
});
