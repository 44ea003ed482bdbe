// The processes bench/live runs: a private redis-server, an API process and a worker process,
// all real (`api/main.ts`, `api/worker-main.ts` through tsx), stopped by pid at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

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

/** redis-server on a free port (no persistence). */
export async function startRedis(): Promise<Proc & { url: string }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor('redis-server', () => new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
    s.on('error', () => resolve(false));
  }));
  return { ...track(child), url: `redis://127.0.0.1:${port}` };
}

// BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API process.
function tsxArgs(script: string, nodeArgs = ''): string[] {
  return [...nodeArgs.split(' ').filter(Boolean), '--require', 'tsx/cjs', path.join(root, script)];
}

/** An API process without workers; resolves when /readyz answers. */
export async function startApi(env: Record<string, string>): Promise<Proc & { url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, tsxArgs('api/main.ts', process.env.BENCH_API_NODE_ARGS), {
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
  const child = spawn(process.execPath, tsxArgs('api/worker-main.ts'), { cwd: root, env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await waitFor('the worker process', async () => out.includes('"worker started"'));
  child.stdout!.resume();
  return track(child);
}
