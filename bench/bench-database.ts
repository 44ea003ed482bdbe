// Benchmarks that start every run from an empty database of their own, so one run's rows do
// not make the next run write into bigger tables.
import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../core/db/database-url';

/** Drops and creates the database `url` names (empty; migrate it next). */
export async function recreateDatabase(url: string): Promise<void> {
  const { host, port, user, password, database } = parseDatabaseUrl(url);
  const admin = await mysql.createConnection({ host, port, user, password });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.query(`CREATE DATABASE \`${database}\``);
  } finally {
    await admin.end();
  }
}
