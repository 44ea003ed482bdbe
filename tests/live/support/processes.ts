// Real Personae processes for multi-process tests: `api/main.ts` (API) and `api/worker-main.ts`
// (worker), started with tsx on the test database, stopped with SIGTERM by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { testDatabaseUrl } from '../../support/test-app';

const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

export interface PersonaeProcess {
  child: ChildProcess;
  /** The API's base URL (API processes only). */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    PERSONAE_SECRET_KEY: 'test-secret-key-not-for-production',
    HOST: '127.0.0.1',
    PORT: '0',
    DEMO_SEED: 'false',
    WORKERS_IN_PROCESS: 'false',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

function start(script: string, env: Record<string, string>, ready: RegExp, timeoutMs: number): Promise<PersonaeProcess> {
  const child = spawn(tsx, [script], { cwd: root, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const proc: PersonaeProcess = {
    child,
    url: '',
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      resolve({ ...proc, url: m[1] ?? '' });
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out}`));
    });
  });
}

/** An API process (no workers); resolves once it listens. */
export function startApi(env: Record<string, string>, timeoutMs = 90_000): Promise<PersonaeProcess> {
  return start('api/main.ts', env, /GraphiQL:\s+(http:\/\/[^\s]+)\/graphql/, timeoutMs);
}

/** The environment startWorker gives a worker (for tests that spawn it themselves). */
export function workerEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return baseEnv({ LOG_LEVEL: 'info', ...env });
}

/** A worker process; resolves once its loops run. */
export function startWorker(env: Record<string, string>, timeoutMs = 90_000): Promise<PersonaeProcess> {
  return start('api/worker-main.ts', { LOG_LEVEL: 'info', ...env }, /"msg":"worker started"()/, timeoutMs);
}
