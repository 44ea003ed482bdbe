// An empty database of its own beside the shared test database, for a test that cannot share
// one: migrations applied step by step, a scan that must see no other test's rows. Drop it in
// afterAll; `admin` is a connection to the server (no database selected) for other queries.
import mysql from 'mysql2/promise';
import { formatDatabaseUrl, parseDatabaseUrl } from '../../core/db/database-url';
import { testDatabaseUrl } from './test-app';

export interface ScratchDatabase {
  name: string;
  url: string;
  admin: mysql.Connection;
  drop(): Promise<void>;
}

export async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const base = parseDatabaseUrl(testDatabaseUrl());
  const name = `personae_${prefix}_${process.pid}_${Date.now() % 100000}`;
  const admin = await mysql.createConnection({ host: base.host, port: base.port, user: base.user, password: base.password });
  await admin.query(`CREATE DATABASE \`${name}\``);
  return {
    name,
    url: formatDatabaseUrl({ ...base, database: name }),
    admin,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
