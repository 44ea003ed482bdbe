// campaignStatusChanged's catch-up after a Redis outage (schema/analytics/campaign-status-stream.ts)
// must know which campaigns its first read saw. Database ids are handed out before commit, so a
// campaign whose creation commits just after that read can have a lower id than one the read
// saw; taken for one that was already final, its changes during an outage were never reported.
// Here the creation is held open across the first read, both campaigns change while this
// process hears nothing, and the resync must report both. The first read's wait is bounded:
// held behind a long transaction (a launch), it reads without locks rather than wait it out.
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
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  const step = it.next().then((r) => (r.done ? null : r.value));
  try {
    return await Promise.race([step, timeout]);
  } finally {
    clearTimeout(timer); // no timer left running once the file's tests are done
  }
}

/** Whether a statement reading the workspace's campaigns (the stream's first read) is running. */
async function reading(workspaceId: number): Promise<boolean> {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE ?', [`%FROM campaigns WHERE workspace_id = ${workspaceId}%`]);
  return Number(rows[0].n) > 0;
}

/** Polls until `reading` is `state`; whether it got there within `ms`. */
async function until(workspaceId: number, state: boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while ((await reading(workspaceId)) !== state) {
    if (Date.now() > deadline) return false;
    await pause(10);
  }
  return true;
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
  await until(ws.workspaceId, false, 10_000);

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

test('the first read does not wait out a transaction holding a campaign (a launch): it reads without locks instead', async () => {
  const ws = await createTestWorkspace(app);
  const sql = app.core.db.sql;
  const [held] = await sql.query<ResultSetHeader>("INSERT INTO campaigns (workspace_id, name, status, from_email) VALUES (?, 'launching', 'DRAFT', 'news@shop.example')", [ws.workspaceId]);
  open = await sql.getConnection();
  await open.beginTransaction();
  await open.query('SELECT status FROM campaigns WHERE id = ? FOR UPDATE', [held.insertId]);

  const stream = campaignStatusChanges(app.pubsub.pubsub, ws.ctx, null)[Symbol.asyncIterator]();
  const first = next(stream, 15_000);
  // It waits for the held row, at most twice 1 s, then reads without locks: long before the row is let go.
  expect(await until(ws.workspaceId, true, 5_000)).toBe(true);
  await pause(3_500);
  expect(await reading(ws.workspaceId)).toBe(false);
  await open.rollback();
  open.release();
  open = undefined;

  // That read is a usable baseline: a change nobody announced is caught up on the next resync.
  await sql.query("UPDATE campaigns SET status = 'SCHEDULED' WHERE id = ?", [held.insertId]);
  app.pubsub.pubsub.publish('pubsub.resynced', { seq: 2 });
  const change = await first;
  await stream.return?.();
  expect(change && [change.campaignId, change.previousStatus, change.status]).toEqual([held.insertId, 'DRAFT', 'SCHEDULED']);
});
