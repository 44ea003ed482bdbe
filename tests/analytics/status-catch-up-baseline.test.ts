// campaignStatusChanged's catch-up after a Redis outage (schema/analytics/campaign-status-stream.ts)
// must know which campaigns its first read saw. Database ids are handed out before commit, so a
// campaign whose creation commits just after that read can have a lower id than one the read
// saw; taken for one that was already final, its changes during an outage were never reported.
// Here the creation is held open across the first read, both campaigns change while this
// process hears nothing, and the resync must report both.
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { campaignStatusChanges, type StatusChange } from '../../schema/analytics/campaign-status-stream';
import { createTestApp, createTestWorkspace } from '../support/test-app';

let app: App;
let open: PoolConnection | undefined;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await open?.rollback().catch(() => {});
  open?.release();
  await app.close();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The next change within `ms`, or null. */
async function next(it: AsyncIterator<StatusChange>, ms: number): Promise<StatusChange | null> {
  const timeout = pause(ms).then(() => null);
  const step = it.next().then((r) => (r.done ? null : r.value));
  return Promise.race([step, timeout]);
}

test('a campaign whose creation commits after the first read is caught up, not taken for a final one', async () => {
  const ws = await createTestWorkspace(app);
  const sql = app.core.db.sql;
  open = await sql.getConnection();
  await open.beginTransaction();
  const [late] = await open.query<ResultSetHeader>("INSERT INTO campaigns (workspace_id, name, status, from_email) VALUES (?, 'late', 'DRAFT', 'news@shop.example')", [ws.workspaceId]);
  const [early] = await sql.query<ResultSetHeader>("INSERT INTO campaigns (workspace_id, name, status, from_email) VALUES (?, 'early', 'DRAFT', 'news@shop.example')", [ws.workspaceId]);
  expect(late.insertId).toBeLessThan(early.insertId);

  const stream = campaignStatusChanges(app.pubsub.pubsub, ws.ctx, null)[Symbol.asyncIterator]();
  const first = next(stream, 8_000);
  await pause(500); // the first read runs while `late` is uncommitted
  await open.commit();
  open.release();
  open = undefined;
  // The first read is done once no statement on this workspace's campaigns is still running.
  const deadline = Date.now() + 10_000;
  const reading = async () => {
    const [rows] = await sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE ?', [`%FROM campaigns WHERE workspace_id = ${ws.workspaceId}%`]);
    return Number(rows[0].n) > 0;
  };
  while ((await reading()) && Date.now() < deadline) await pause(20);

  // Another process moves both on during an outage: nothing is announced to this one.
  await sql.query("UPDATE campaigns SET status = 'SCHEDULED' WHERE id IN (?)", [[late.insertId, early.insertId]]);
  app.pubsub.pubsub.publish('pubsub.resynced', { seq: 1 });

  const changes = [await first, await next(stream, 8_000)];
  await stream.return?.();
  expect(changes.map((c) => c && [c.campaignId, c.previousStatus, c.status]).sort()).toEqual([
    [early.insertId, 'DRAFT', 'SCHEDULED'],
    [late.insertId, 'DRAFT', 'SCHEDULED'],
  ].sort());
});
