// retryingLockConflicts (core/db/sql-helpers.ts): two transactions taking the same two row
// locks in opposite order really deadlock in MariaDB; InnoDB rolls one back whole, and the
// retried one then runs to the end, so both writes land exactly once.
import type { PoolConnection } from 'mysql2/promise';
import type { App } from '../../api/app';
import { isRetryableLock, retryingLockConflicts, withSqlTransaction } from '../../core/db/sql-helpers';
import { createTestApp } from '../support/test-app';

let app: App;
const table = `lock_retry_probe_${process.pid}`;

beforeAll(async () => {
  app = await createTestApp();
  await app.core.db.sql.query(`CREATE TABLE IF NOT EXISTS ${table} (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB`);
});
afterAll(async () => {
  await app.core.db.sql.query(`DROP TABLE IF EXISTS ${table}`);
  await app.close();
});
beforeEach(() => app.core.db.sql.query(`REPLACE INTO ${table} VALUES (1, 0), (2, 0)`));

/** Both transactions hold their first row before either asks for its second: a certain deadlock. */
function crossedWriters() {
  let arrived = 0;
  let release!: () => void;
  const bothHoldFirst = new Promise<void>((resolve) => (release = resolve));
  let runs = 0;
  const write = (first: number, second: number) => async (conn: PoolConnection) => {
    runs++;
    await conn.query(`UPDATE ${table} SET n = n + 1 WHERE id = ?`, [first]);
    if (++arrived === 2) release();
    await bothHoldFirst;
    await conn.query(`UPDATE ${table} SET n = n + 1 WHERE id = ?`, [second]);
  };
  return { a: write(1, 2), b: write(2, 1), runs: () => runs };
}

/** One writer in a transaction, retried on lock conflicts. */
const retried = (fn: (conn: PoolConnection) => Promise<void>) => retryingLockConflicts(() => withSqlTransaction(app.core.db.sql, fn));

const counts = async () => {
  const [rows] = await app.core.db.sql.query(`SELECT id, n FROM ${table} ORDER BY id`);
  return (rows as { id: number; n: number }[]).map((r) => r.n);
};

test('without a retry one of two crossed transactions fails with a deadlock and writes nothing', async () => {
  const w = crossedWriters();
  const results = await Promise.allSettled([withSqlTransaction(app.core.db.sql, w.a), withSqlTransaction(app.core.db.sql, w.b)]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(failed).toHaveLength(1);
  expect(isRetryableLock(failed[0].reason)).toBe(true);
  expect(await counts()).toEqual([1, 1]);
});

test('with retryingLockConflicts both land once, the loser on its second run', async () => {
  const w = crossedWriters();
  await Promise.all([retried(w.a), retried(w.b)]);
  expect(await counts()).toEqual([2, 2]);
  expect(w.runs()).toBe(3);
});

/**
 * The same on a table's AUTO-INC lock: an INSERT … SELECT takes it with its first row, then
 * waits for a source row the other transaction holds; the other's own insert into that table
 * waits for the AUTO-INC lock. The loser sees 1467, not 1213.
 */
const autoinc = `${table}_log`;
function autoIncWriters() {
  let holding!: () => void;
  const holdsRow = new Promise<void>((resolve) => (holding = resolve));
  let runs = 0;
  return {
    // Holds row 2, then (once the other is waiting for it) inserts into the log.
    holder: async (conn: PoolConnection) => {
      runs++;
      await conn.query(`UPDATE ${table} SET n = n + 1 WHERE id = 2`);
      holding();
      await new Promise((r) => setTimeout(r, 300));
      await conn.query(`INSERT INTO ${autoinc} (n) SELECT n FROM ${table} WHERE id = 1`);
    },
    // Copies rows 1 and 2 into the log, in id order: the first takes the AUTO-INC lock, the second waits.
    copier: async (conn: PoolConnection) => {
      runs++;
      await holdsRow;
      await conn.query(`INSERT INTO ${autoinc} (n) SELECT n FROM ${table} WHERE id IN (1, 2) ORDER BY id`);
    },
    runs: () => runs,
  };
}
const logged = async () => Number(((await app.core.db.sql.query(`SELECT COUNT(*) AS n FROM ${autoinc}`))[0] as { n: number }[])[0].n);

describe('on an AUTO-INC lock', () => {
  beforeAll(() => app.core.db.sql.query(`CREATE TABLE IF NOT EXISTS ${autoinc} (id BIGINT AUTO_INCREMENT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB`));
  afterAll(() => app.core.db.sql.query(`DROP TABLE IF EXISTS ${autoinc}`));
  beforeEach(() => app.core.db.sql.query(`DELETE FROM ${autoinc}`));

  test('without a retry one fails with 1467 and writes nothing', async () => {
    const w = autoIncWriters();
    const results = await Promise.allSettled([withSqlTransaction(app.core.db.sql, w.holder), withSqlTransaction(app.core.db.sql, w.copier)]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed.map((f) => (f.reason as { errno?: number }).errno)).toEqual([1467]);
    expect(isRetryableLock(failed[0].reason)).toBe(true);
    // Only the winner's writes are there: the holder's update and one log row, or the copier's two.
    const holderWon = results[0].status === 'fulfilled';
    expect([await counts(), await logged()]).toEqual(holderWon ? [[0, 1], 1] : [[0, 0], 2]);
  });

  test('with retryingLockConflicts both land once', async () => {
    const w = autoIncWriters();
    await Promise.all([retried(w.holder), retried(w.copier)]);
    expect(await counts()).toEqual([0, 1]);
    expect(await logged()).toBe(3);
    expect(w.runs()).toBe(3);
  });
});

test('other errors are not retried, and attempts bound the runs', async () => {
  let runs = 0;
  const duplicate = Object.assign(new Error('Duplicate entry'), { errno: 1062 });
  await expect(retryingLockConflicts(async () => { runs++; throw duplicate; })).rejects.toBe(duplicate);
  expect(runs).toBe(1);
  runs = 0;
  await expect(retryingLockConflicts(async () => { runs++; throw duplicate; }, { attempts: 3, alsoRetry: (e) => e === duplicate })).rejects.toBe(duplicate);
  expect(runs).toBe(3);
});
