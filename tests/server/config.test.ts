import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../api/config';

test('every bad variable is named with what was wrong and what was given', () => {
  let error: Error | null = null;
  try {
    loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x/y', LOG_LEVEL: 'loud', PERSONAE_SECRET_KEY: 'k'.repeat(20) });
  } catch (err) {
    error = err as Error;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect(error!.message).toContain('PORT: Invalid input: expected number, received NaN (got "eighty")');
  expect(error!.message).toContain('DATABASE_URL: must start with mysql:// or mariadb:// (got "postgres://x/y")');
  expect(error!.message).toMatch(/LOG_LEVEL: .* \(got "loud"\)/);
});

test('production requires a secret key', () => {
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PERSONAE_SECRET_KEY: required in production/);
});

test('`npm start` with a bad value exits non-zero naming the variable, before touching the database', () => {
  const root = path.resolve(__dirname, '../..');
  const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'api/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '99999', DATABASE_URL: 'mysql://nobody@127.0.0.1:1/none' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('Personae could not start.');
  expect(run.stderr).toContain('PORT: Too big: expected number to be <=65535 (got "99999")');
}, 60_000);

test('worker settings are checked with the rest: delivery tuning and the worker metrics port', () => {
  const key = { PERSONAE_SECRET_KEY: 'k'.repeat(20) };
  expect(() => loadConfig({ ...key, PERSONAE_DELIVERY_BATCH_SIZE: '0', PERSONAE_WORKER_METRICS_PORT: 'x', PERSONAE_DELIVERY: 'maybe' })).toThrow(
    expect.objectContaining({
      message: expect.stringMatching(/PERSONAE_DELIVERY_BATCH_SIZE: .*\(got "0"\)[\s\S]*PERSONAE_WORKER_METRICS_PORT: .*\(got "x"\)|PERSONAE_WORKER_METRICS_PORT[\s\S]*PERSONAE_DELIVERY_BATCH_SIZE/),
    }),
  );
  expect(() => loadConfig({ ...key, PERSONAE_DELIVERY: 'maybe' })).toThrow(/PERSONAE_DELIVERY: .*\(got "maybe"\)/);
  const cfg = loadConfig({ ...key, PERSONAE_DELIVERY_BATCH_SIZE: '250', PERSONAE_WORKER_METRICS_PORT: '9464', PERSONAE_DELIVERY_WORKSPACE: '7' });
  expect(cfg).toMatchObject({ PERSONAE_DELIVERY: 'on', PERSONAE_DELIVERY_BATCH_SIZE: 250, PERSONAE_WORKER_METRICS_PORT: 9464, PERSONAE_DELIVERY_WORKSPACE: 7 });
  expect(cfg.PERSONAE_DELIVERY_CONCURRENCY).toBeUndefined();
});
