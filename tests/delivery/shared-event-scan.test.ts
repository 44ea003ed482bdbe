// The shared event scan's gap rule (core/delivery/event-scanner.ts), on a database of its own:
// the shared cursor reads every workspace's events, so other test files' events would be in its
// way (and it would act on them) in the common test database. Ids are allocated before commit:
// a missing id may be a transaction still committing, so the scan stops before it while the
// event after it is young, takes it once committed, and passes a gap that never fills (a
// rollback) once the event after it is `settleMs` old.
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { migrate } from '../../scripts/db/migration-runner';
import { createCoreServices, type CoreServices } from '../../api/core-services';
import { createLogger } from '../../core/logger';
import { createWorkspace } from '../../core/workspaces/workspaces';
import { scanEvents } from '../../core/delivery/event-scanner';
import { scratchDatabase, type ScratchDatabase } from '../support/scratch-database';

const SETTLE_MS = 60_000;
let db: ScratchDatabase;
let core: CoreServices;
let now = new Date('2031-05-06T10:00:00.000Z');
let workspaceId: number;
let contactId: number;

beforeAll(async () => {
  db = await scratchDatabase('scan');
  await migrate(db.url);
  core = createCoreServices({ databaseUrl: db.url, secretKey: 'test-secret-key-not-for-production', log: createLogger({ level: 'silent' }) });
  core.now = () => now;
  workspaceId = (await createWorkspace(core, { name: 'scan' })).id;
  const [c] = await core.db.sql.query<ResultSetHeader>(
    "INSERT INTO contacts (workspace_id, email, email_normalized, consent_status, created_at, updated_at) VALUES (?, 'a@example.com', 'a@example.com', 'SUBSCRIBED', ?, ?)",
    [workspaceId, now, now],
  );
  contactId = c.insertId;
}, 60_000);

afterAll(async () => {
  await core?.db.close();
  await db?.drop();
});

/** Inserts an event received now (by the scanner's clock) on `on`; returns its id. */
async function insertEvent(on: Pick<PoolConnection, 'query'> = core.db.sql): Promise<number> {
  const [r] = await on.query<ResultSetHeader>(
    "INSERT INTO events (workspace_id, contact_id, type, occurred_at, received_at, source) VALUES (?, ?, 'page_view', ?, ?, 'api')",
    [workspaceId, contactId, now, now],
  );
  return r.insertId;
}

async function position(): Promise<number> {
  const [[row]] = await core.db.sql.query<RowDataPacket[]>("SELECT position FROM delivery_cursors WHERE name = 'events'");
  return Number(row.position);
}

const scan = () => scanEvents(core, { settleMs: SETTLE_MS });

test('the shared scan waits at an id still being committed, takes it once committed, and passes a rollback once the next event has settled', async () => {
  expect(await scan()).toBe(0); // creates the cursor at the current end
  const first = await insertEvent();

  // An event whose transaction has not committed yet holds the next id.
  const pending = await core.db.sql.getConnection();
  await pending.beginTransaction();
  const held = await insertEvent(pending);
  const after = await insertEvent();
  expect([held, after]).toEqual([first + 1, first + 2]);

  expect(await scan()).toBe(1); // `first`; `after` is young and behind a gap: wait
  expect(await position()).toBe(first);
  expect(await scan()).toBe(0);

  await pending.commit();
  pending.release();
  expect(await scan()).toBe(2); // the gap filled: `held`, then `after`
  expect(await position()).toBe(after);

  // A rolled-back insert leaves a gap that never fills.
  const rolledBack = await core.db.sql.getConnection();
  await rolledBack.beginTransaction();
  const lost = await insertEvent(rolledBack);
  await rolledBack.rollback();
  rolledBack.release();
  const next = await insertEvent();
  expect(next).toBe(lost + 1);
  expect(await scan()).toBe(0); // young, behind the gap
  now = new Date(now.getTime() + SETTLE_MS - 1_000);
  expect(await scan()).toBe(0); // still younger than the settle time
  now = new Date(now.getTime() + 2_000);
  expect(await scan()).toBe(1); // settled: the gap is taken for a rollback
  expect(await position()).toBe(next);
});
