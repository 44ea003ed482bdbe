// With DATABASE_URL unset and nothing answering on the local port, Personae starts a private
// MariaDB from the binaries on PATH (data under .data/), or says exactly how to get one.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { resolveDatabase, DatabaseUnavailableError } from '../../scripts/db/local-database';
import { parseDatabaseUrl } from '../../core/db/database-url';
import { freePort } from '../support/free-port';


const hasServerBinary = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', ...(process.env.PATH ?? '').split(':').map((d) => `${d}/mariadbd`)].some(existsSync);

(hasServerBinary ? test : test.skip)('starts a private server with its data in the data dir, and reuses it', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'personae-embedded-'));
  const closedPort = await freePort();
  const port = await freePort();
  const env = { PATH: process.env.PATH, PERSONAE_EMBEDDED_DB_PORT: String(port) };
  const first = await resolveDatabase({ databaseName: 'personae_embedded', env, localPort: closedPort, dataDir });
  try {
    expect(first.source).toBe('embedded server');
    const url = parseDatabaseUrl(first.url);
    expect(url.port).toBe(port);
    expect(existsSync(path.join(dataDir, 'mysql', 'mysql'))).toBe(true);
    const conn = await mysql.createConnection({ host: url.host, port: url.port, user: url.user, database: url.database });
    const [[row]] = await conn.query<mysql.RowDataPacket[]>('SELECT DATABASE() AS db');
    expect(row.db).toBe('personae_embedded');
    await conn.end();
    // A second start finds the running server instead of starting another.
    const again = await resolveDatabase({ databaseName: 'personae_other', env, localPort: closedPort, dataDir });
    expect(again.url).toContain(`:${port}/personae_other`);
  } finally {
    const pid = Number(readFileSync(path.join(dataDir, 'mysqld.pid'), 'utf8'));
    process.kill(pid, 'SIGTERM');
  }
}, 120_000);

test('with no server and no binaries, the error says exactly how to get a database', async () => {
  const closedPort = await freePort();
  const err = await resolveDatabase({ databaseName: 'x', env: { PATH: '' }, localPort: closedPort, binDirs: [] }).catch((e) => e);
  expect(err).toBeInstanceOf(DatabaseUnavailableError);
  expect(err.message).toContain(`nothing answers on 127.0.0.1:${closedPort}`);
  expect(err.message).toContain('sudo apt-get install mariadb-server');
  expect(err.message).toContain('DATABASE_URL=mysql://user:pass@host:3306/personae');
});

test('DATABASE_URL is used as given, creating the database when missing', async () => {
  const base = parseDatabaseUrl(process.env.PERSONAE_TEST_DATABASE_URL!);
  const url = `mysql://${base.user}@${base.host}:${base.port}/personae_url_${process.pid}`;
  const resolved = await resolveDatabase({ databaseName: 'ignored', env: { DATABASE_URL: url } });
  expect(resolved).toEqual({ url, source: 'DATABASE_URL' });
  const conn = await mysql.createConnection({ host: base.host, port: base.port, user: base.user });
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SHOW DATABASES LIKE ?', [`personae_url_${process.pid}`]);
  expect(rows).toHaveLength(1);
  await conn.query(`DROP DATABASE personae_url_${process.pid}`);
  await conn.end();
});
