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
  const retried = (fn: (conn: PoolConnection) => Promise<void>) => retryingLockConflicts(() => withSqlTransaction(app.core.db.sql, fn));
  await Promise.all([retried(w.a), retried(w.b)]);
  expect(await counts()).toEqual([2, 2]);
  expect(w.runs()).toBe(3);
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
