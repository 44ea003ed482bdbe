// The embedded default database. With DATABASE_URL unset, Personae uses a MySQL-compatible
// server answering on 127.0.0.1:3306 (creating its own database in it); otherwise it starts
// a private MariaDB/MySQL from binaries on PATH with its data under .data/; otherwise it stops
// with instructions. With DATABASE_URL set, it only makes sure the named database exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { formatDatabaseUrl, parseDatabaseUrl, redact, type DatabaseUrl } from '../../core/db/database-url';

const ROOT = path.resolve(__dirname, '../..');
export const DATA_DIR = path.join(ROOT, '.data');

export interface ResolvedDatabase {
  url: string;
  source: 'DATABASE_URL' | 'local server on 127.0.0.1:3306' | 'embedded server';
}

export class DatabaseUnavailableError extends Error {}

/** Finds or starts a database and makes sure `databaseName` exists in it. */
export async function resolveDatabase(opts: {
  databaseName: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Where a shared local server is looked for (tests point it at a closed port). */
  localPort?: number;
  /** Where the private server keeps its data (default .data/). */
  dataDir?: string;
  /** Directories searched for mariadbd/mysqld besides PATH (default: the usual sbin dirs). */
  binDirs?: string[];
}): Promise<ResolvedDatabase> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => {});

  if (env.DATABASE_URL) {
    const db = parseDatabaseUrl(env.DATABASE_URL);
    await ensureDatabase(db).catch((err: Error) => {
      throw new DatabaseUnavailableError(`DATABASE_URL (${redact(env.DATABASE_URL!)}) is not usable: ${err.message}`);
    });
    return { url: env.DATABASE_URL, source: 'DATABASE_URL' };
  }

  const shared: DatabaseUrl = { host: '127.0.0.1', port: opts.localPort ?? 3306, user: 'root', password: '', database: opts.databaseName, params: {} };
  const probe = await probe3306(shared);
  if (probe === 'ok') {
    await ensureDatabase(shared);
    return { url: formatDatabaseUrl(shared), source: 'local server on 127.0.0.1:3306' };
  }
  if (probe !== 'closed') {
    throw new DatabaseUnavailableError(
      `A server answers on 127.0.0.1:${shared.port} but refused root without a password (${probe}).\n` +
        'Point Personae at it with a user that may create a database, e.g.\n' +
        `  DATABASE_URL=mysql://personae:secret@127.0.0.1:3306/${opts.databaseName}`,
    );
  }

  const port = Number(env.PERSONAE_EMBEDDED_DB_PORT ?? 3307);
  const embedded: DatabaseUrl = { ...shared, port };
  await startEmbeddedServer(port, log, opts.dataDir ?? DATA_DIR, opts.binDirs ?? SEARCH_DIRS, env.PATH ?? '', shared.port);
  await ensureDatabase(embedded);
  return { url: formatDatabaseUrl(embedded), source: 'embedded server' };
}

async function ensureDatabase(db: DatabaseUrl): Promise<void> {
  const conn = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, connectTimeout: 5000 });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${db.database.replace(/`/g, '')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

async function probe3306(db: DatabaseUrl): Promise<'ok' | 'closed' | string> {
  try {
    const conn = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: '', connectTimeout: 1500 });
    await conn.end();
    return 'ok';
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(e.code ?? '')) return 'closed';
    return e.code ?? e.message ?? 'unknown error';
  }
}

const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/libexec', '/usr/local/mysql/bin', '/opt/homebrew/bin', '/usr/local/bin'];

function findBinary(names: string[], binDirs: string[], pathVar: string): string | null {
  const dirs = [...pathVar.split(path.delimiter), ...binDirs].filter(Boolean);
  for (const name of names) for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

async function startEmbeddedServer(port: number, log: (line: string) => void, dataRoot: string, binDirs: string[], pathVar: string, sharedPort: number): Promise<void> {
  const target: DatabaseUrl = { host: '127.0.0.1', port, user: 'root', password: '', database: 'mysql', params: {} };
  if ((await probe3306(target)) === 'ok') return; // already running from an earlier start

  const server = findBinary(['mariadbd', 'mysqld'], binDirs, pathVar);
  if (!server) {
    throw new DatabaseUnavailableError(
      `No database found: nothing answers on 127.0.0.1:${sharedPort} and no mariadbd/mysqld is installed.\n` +
        'Do one of these, then run the command again:\n' +
        '  • install MariaDB:  sudo apt-get install mariadb-server   (macOS: brew install mariadb)\n' +
        '    Personae then starts a private server with its data under .data/\n' +
        '  • or point it at a server you have:  DATABASE_URL=mysql://user:pass@host:3306/personae',
    );
  }
  const dataDir = path.join(dataRoot, 'mysql');
  mkdirSync(dataRoot, { recursive: true });
  const isMaria = path.basename(server) === 'mariadbd' || /mariadb/i.test(spawnSync(server, ['--version']).stdout?.toString() ?? '');
  const runAsRoot = process.getuid?.() === 0 ? ['--user=root'] : [];

  if (!existsSync(path.join(dataDir, 'mysql'))) {
    log(`initialising a private database in ${dataDir}`);
    const init = isMaria
      ? spawnSync(findBinary(['mariadb-install-db', 'mysql_install_db'], binDirs, pathVar) ?? 'mariadb-install-db', [
          // A private server must not read the system my.cnf (its user, datadir and port).
          '--no-defaults',
          `--datadir=${dataDir}`,
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
          ...runAsRoot,
        ], { encoding: 'utf8' })
      : spawnSync(server, ['--no-defaults', '--initialize-insecure', `--datadir=${dataDir}`, ...runAsRoot], { encoding: 'utf8' });
    if (init.status !== 0) {
      throw new DatabaseUnavailableError(`could not initialise ${dataDir} with ${server}:\n${init.stderr || init.stdout}`);
    }
  }

  log(`starting ${path.basename(server)} on 127.0.0.1:${port} (data in ${dataDir})`);
  const logFile = openSync(path.join(dataRoot, 'mysqld.log'), 'a');
  const child = spawn(
    server,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${path.join(dataRoot, 'mysqld.sock')}`,
      `--pid-file=${path.join(dataRoot, 'mysqld.pid')}`,
      ...(isMaria ? [] : ['--mysqlx=OFF']),
      ...runAsRoot,
    ],
    { detached: true, stdio: ['ignore', logFile, logFile] },
  );
  child.unref();

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await probe3306(target)) === 'ok') return;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = readFileSync(path.join(dataRoot, 'mysqld.log'), 'utf8').split('\n').slice(-15).join('\n');
  throw new DatabaseUnavailableError(`the private database did not start on port ${port}; last log lines:\n${tail}`);
}
