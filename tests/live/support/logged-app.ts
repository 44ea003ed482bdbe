// A test app whose JSON log lines are kept in memory, so tests can read what was logged.
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import pino from 'pino';
import { createApp, type App } from '../../../api/app';
import { loadConfig } from '../../../api/config';
import { testDatabaseUrl } from '../../support/test-app';

export interface LoggedApp {
  app: App;
  /** Every log line so far, parsed. */
  lines: Record<string, unknown>[];
}

export async function createLoggedApp(env: Record<string, string> = {}): Promise<LoggedApp> {
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      PERSONAE_SECRET_KEY: 'test-secret-key-not-for-production',
      RATE_LIMIT_PER_MINUTE: '100000',
      DEMO_SEED: 'false',
      WORKERS_IN_PROCESS: 'false',
      PUBLIC_URL: 'http://personae.test',
      ...env,
    },
    { dataDir: mkdtempSync(path.join(os.tmpdir(), 'personae-test-')) },
  );
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  const log = pino({ level: 'debug', base: { pid: process.pid } }, sink);
  const app = await createApp({ config, databaseUrl: testDatabaseUrl(), plugins: [], log });
  return { app, lines };
}
