// The processes bench/live runs: a private redis-server, an API process and a worker process,
// all real (`api/main.ts`, `api/worker-main.ts` through tsx), stopped by pid at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../tests/support/free-port';
import { privateRedis } from '../../tests/live/support/redis-server';

const root = path.resolve(__dirname, '../..');

export interface Proc {
  child: ChildProcess;
  stop(): Promise<void>;
}

function track(child: ChildProcess): Proc {
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** redis-server on a free port (no persistence): the tests' private Redis. */
export async function startRedis(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const redis = privateRedis(await freePort());
  await redis.start();
  return { url: redis.url, pid: redis.pid!, stop: () => redis.stop() };
}

// BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API process;
// BENCH_WORKER_NODE_ARGS does the same for the worker process.
function tsxArgs(script: string, nodeArgs = ''): string[] {
  return [...nodeArgs.split(' ').filter(Boolean), '--require', 'tsx/cjs', path.join(root, script)];
}

/** An API process without workers (bench-api-main.ts); resolves when /readyz answers. */
export async function startApi(env: Record<string, string>): Promise<Proc & { url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, tsxArgs('bench/live/bench-api-main.ts', process.env.BENCH_API_NODE_ARGS), {
    cwd: root,
    // NODE_ENV=production as deployed (graphql-js skips its development-mode checks).
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DEMO_SEED: 'false', WORKERS_IN_PROCESS: 'false', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the API process', async () => (await fetch(`${url}/readyz`)).ok);
  return { ...track(child), url };
}

/** A worker process (sender, scheduler, jobs); resolves once it reports its loops started. */
export async function startWorker(env: Record<string, string>): Promise<Proc> {
  const child = spawn(process.execPath, tsxArgs('api/worker-main.ts', process.env.BENCH_WORKER_NODE_ARGS), { cwd: root, env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await waitFor('the worker process', async () => out.includes('"worker started"'));
  child.stdout!.resume();
  return track(child);
}
