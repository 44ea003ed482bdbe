// withLastWriteCommit (core/db/last-write-commit.ts) against MariaDB: the last write and the
// COMMIT go in one query, earlier writes go before it in order, a failing last write commits
// nothing, and only the dedicated pool accepts several statements in one query.
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { App } from '../../api/app';
import { withLastWriteCommit } from '../../core/db/last-write-commit';
import { createSqlPool } from '../../core/db/sql-pool';
import { createTestApp } from '../support/test-app';

let app: App;
let pool: Pool;
const table = `last_write_probe_${process.pid}`;
/** What the connections of `pool` were asked to do, in order. */
let sent: string[] = [];

beforeAll(async () => {
  app = await createTestApp();
  await app.core.db.sql.query(`CREATE TABLE IF NOT EXISTS ${table} (id INT PRIMARY KEY, note VARCHAR(20) NOT NULL) ENGINE=InnoDB`);
  pool = createSqlPool(app.core.db.url, { multipleStatements: true, connectionLimit: 2 });
  // Records each call on the pool's connections (its own pool, so wrapping them touches nothing else).
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = async () => {
    const conn = await getConnection();
    const record = (name: 'query' | 'commit' | 'beginTransaction' | 'rollback') => {
      const original = conn[name].bind(conn) as (...a: unknown[]) => Promise<unknown>;
      (conn as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
        sent.push(name === 'query' ? String(a[0]) : name);
        return original(...a);
      };
    };
    for (const name of ['query', 'commit', 'beginTransaction', 'rollback'] as const) if (!Object.prototype.hasOwnProperty.call(conn, name)) record(name);
    return conn as PoolConnection;
  };
});
afterAll(async () => {
  await pool.end();
  await app.core.db.sql.query(`DROP TABLE IF EXISTS ${table}`);
  await app.close();
});
beforeEach(async () => {
  sent = [];
  await app.core.db.sql.query(`DELETE FROM ${table}`);
});

const rows = async () => {
  const [r] = await app.core.db.sql.query(`SELECT id, note FROM ${table} ORDER BY id`);
  return r as { id: number; note: string }[];
};
const insert = (id: number, note: string): [string, unknown[]] => [`INSERT INTO ${table} (id, note) VALUES (?, ?)`, [id, note]];

test('the last write travels with the COMMIT; the ones before it are sent first, in order', async () => {
  const result = await withLastWriteCommit(pool, async (_conn, writes) => {
    await writes.write(...insert(1, 'first'));
    await writes.write(...insert(2, 'second'));
    await writes.write(...insert(3, 'last'));
    return 'done';
  });
  expect(result).toBe('done');
  expect(sent).toEqual([
    'beginTransaction',
    `INSERT INTO ${table} (id, note) VALUES (?, ?)`,
    `INSERT INTO ${table} (id, note) VALUES (?, ?)`,
    `INSERT INTO ${table} (id, note) VALUES (?, ?);\nCOMMIT`,
  ]);
  expect(await rows()).toEqual([{ id: 1, note: 'first' }, { id: 2, note: 'second' }, { id: 3, note: 'last' }]);
});

test('a read after flush() sees the held write; without writes the transaction commits as usual', async () => {
  const seen = await withLastWriteCommit(pool, async (conn, writes) => {
    await writes.write(...insert(7, 'held'));
    await writes.flush();
    const [r] = await conn.query(`SELECT note FROM ${table} WHERE id = 7`);
    return (r as { note: string }[]).map((x) => x.note);
  });
  expect(seen).toEqual(['held']);
  expect(sent.at(-1)).toBe('commit');

  sent = [];
  await withLastWriteCommit(pool, async (conn) => void (await conn.query(`UPDATE ${table} SET note = 'plain' WHERE id = 7`)));
  expect(sent.at(-1)).toBe('commit');
  expect(await rows()).toEqual([{ id: 7, note: 'plain' }]);
});

test('when the last write fails, the COMMIT after it does not run and nothing is written', async () => {
  const failing = withLastWriteCommit(pool, async (_conn, writes) => {
    await writes.write(...insert(1, 'sent before'));
    await writes.write(...insert(1, 'duplicate key')); // held, then sent with the COMMIT
  });
  await expect(failing).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
  expect(sent.at(-2)).toMatch(/;\nCOMMIT$/);
  expect(sent.at(-1)).toBe('rollback');
  expect(await rows()).toEqual([]);
});

test('the main pool refuses several statements in one query; the dedicated one accepts them', async () => {
  await expect(app.core.db.sql.query('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'ER_PARSE_ERROR' });
  const [results] = await app.core.db.sqlMultiStatement.query('SELECT 1 AS a; SELECT 2 AS b');
  expect(results).toEqual([[{ a: 1 }], [{ b: 2 }]]);
});
