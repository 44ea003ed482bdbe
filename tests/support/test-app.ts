// Builds a real Personae app for tests: real MariaDB, real schema and plugins, yoga called
// in process (`app.yoga.fetch`) or listening on a loopback port where the network matters.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { createApp, type App } from '../../api/app';
import { loadConfig } from '../../api/config';
import { listen, type RunningServer } from '../../api/server';
import { createLogger } from '../../core/logger';
import { forWorkspace, type WorkspaceContext } from '../../core/context';
import { createWorkspace } from '../../core/workspaces/workspaces';
import { createInitialApiKey, type Scope } from '../../core/workspaces/api-keys';
import type { PluginInstance } from '../../plugins/sdk/define-plugin';
import type { ExecutionOptions } from '../../api/yoga';

export function testDatabaseUrl(): string {
  const url = process.env.PERSONAE_TEST_DATABASE_URL;
  if (!url) throw new Error('PERSONAE_TEST_DATABASE_URL is not set: run the tests through jest (globalSetup prepares it)');
  return url;
}

export interface TestAppOptions {
  plugins?: PluginInstance[];
  env?: Record<string, string>;
  /** Execution options (compiled execution, shared subscription results); defaults as in production. */
  execution?: ExecutionOptions;
  /** Another database than the shared test database (a scratch one a test migrates itself). */
  databaseUrl?: string;
}

/** A real app on the test database. Close it in afterAll. */
export async function createTestApp(opts: TestAppOptions = {}): Promise<App> {
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PERSONAE_SECRET_KEY: 'test-secret-key-not-for-production',
      RATE_LIMIT_PER_MINUTE: '100000',
      DEMO_SEED: 'false',
      WORKERS_IN_PROCESS: 'false',
      PUBLIC_URL: 'http://personae.test',
      ...opts.env,
    },
    { dataDir: mkdtempSync(path.join(os.tmpdir(), 'personae-test-')) },
  );
  const log = createLogger({ level: config.LOG_LEVEL, name: 'personae-test' });
  return createApp({ config, databaseUrl: opts.databaseUrl ?? testDatabaseUrl(), plugins: opts.plugins ?? [], log, execution: opts.execution });
}

export interface TestWorkspace {
  workspaceId: number;
  /** An API key of the requested scope. */
  key: string;
  /** A core context bound to the workspace (acting as the system). */
  ctx: WorkspaceContext;
}

let counter = 0;

/** A fresh workspace with a key, so tests never see each other's data. */
export async function createTestWorkspace(app: App, opts: { scope?: Scope; name?: string; timezone?: string } = {}): Promise<TestWorkspace> {
  const ws = await createWorkspace(app.core, {
    name: opts.name ?? `test ${++counter}`,
    slug: `t-${process.pid}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`,
    timezone: opts.timezone,
  });
  const { secret } = await createInitialApiKey(app.core, ws.id, 'test key', opts.scope ?? 'ADMIN');
  return { workspaceId: ws.id, key: secret, ctx: forWorkspace(app.core, ws.id, { type: 'system', name: 'test' }) };
}

/** Another key for an existing workspace. */
export async function createKey(app: App, workspaceId: number, scope: Scope): Promise<string> {
  return (await createInitialApiKey(app.core, workspaceId, `test ${scope} key`, scope)).secret;
}

/** Starts the app on a loopback port (for WebSocket, SSE and raw HTTP tests). */
export async function startTestServer(app: App): Promise<RunningServer> {
  return listen(app, { host: '127.0.0.1', port: 0 });
}

/**
 * The SQL statements (Prisma and mysql2) sent while `fn` runs: what a request itself costs.
 * Not transaction control, and not the API key's bookkeeping beside it: a verified key is
 * cached for 2 s (api/auth/authenticate.ts) and its last-used stamp written once a minute, so
 * whether a request looks the key up depends on the clock, not on what a test measures (a
 * page's statement count came out 7 instead of 6 under load when the cache had just expired).
 */
export async function countStatements<T>(app: App, fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const off = app.core.db.onQuery((q) => statements.push(q.sql));
  try {
    const result = await fn();
    return { result, statements: statements.filter((s) => !/^\s*(BEGIN|COMMIT|ROLLBACK)|Implicit "COMMIT"/i.test(s) && !/`?api_keys`?/.test(s)) };
  } finally {
    off();
  }
}
