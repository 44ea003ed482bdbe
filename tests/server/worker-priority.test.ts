// Worker processes lower their own CPU priority (api/workers/process-priority.ts), so that
// sending yields cores to API processes on a shared host. Read from the OS, by pid and by
// thread (Linux keeps a niceness per thread: V8's GC and compiler threads must be lowered too).
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { startWorker, workerEnv, type PersonaeProcess } from '../live/support/processes';

const root = path.resolve(__dirname, '../..');

/** The pid a worker logs in its "worker started" line (tsx runs the script in a child process). */
function workerPid(proc: PersonaeProcess): number {
  const line = proc.output().split('\n').find((l) => l.includes('"worker started"'));
  return JSON.parse(line!).pid;
}

/** The niceness of every thread of process `pid`. */
function threadNiceness(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => os.getPriority(Number(tid)));
}

const procs: PersonaeProcess[] = [];
afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop()));
});

test('`npm run worker` runs at niceness 10 by default, and PERSONAE_WORKER_NICE=0 leaves it as started', async () => {
  const started = os.getPriority();
  const [byDefault, unchanged] = await Promise.all([startWorker({ PERSONAE_DELIVERY: 'off' }), startWorker({ PERSONAE_DELIVERY: 'off', PERSONAE_WORKER_NICE: '0' })]);
  procs.push(byDefault, unchanged);
  expect(os.getPriority(workerPid(byDefault))).toBe(Math.max(10, started));
  expect(os.getPriority(workerPid(unchanged))).toBe(started);
  // Every thread, not only the one that asked: the process has several (V8's own among them).
  const lowered = threadNiceness(workerPid(byDefault));
  expect(lowered.length).toBeGreaterThan(1);
  expect(new Set(lowered)).toEqual(new Set([Math.max(10, started)]));
  expect(new Set(threadNiceness(workerPid(unchanged)))).toEqual(new Set([started]));
}, 120_000);

test('a process started nicer than asked stays as its operator started it; a bad value is refused', () => {
  const script = "const { lowerProcessPriority } = require('./api/workers/process-priority.ts'); const os = require('node:os'); lowerProcessPriority(10, console); console.log(os.getPriority());";
  const run = spawnSync('nice', ['-n', '15', process.execPath, '--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).not.toMatch(/Error/);
  expect(Number(run.stdout.trim())).toBe(Math.max(15, os.getPriority()));
  // Both ways the worker is started here: tsx's ESM hooks, and CommonJS only (bench/live).
  for (const loader of [['--import', 'tsx'], ['--require', 'tsx/cjs']]) {
    const bad = spawnSync(process.execPath, [...loader, 'api/worker-main.ts'], { cwd: root, env: { ...process.env, PERSONAE_WORKER_NICE: '25' }, encoding: 'utf8', timeout: 60_000 });
    expect(bad.stderr).toMatch(/PERSONAE_WORKER_NICE: .*\(got "25"\)/);
    expect(bad.status).toBe(1);
  }
}, 120_000);

/** CPU time (ms, in 10 ms ticks) and niceness of process `pid`, from /proc/<pid>/stat. */
function procStat(pid: number): { cpuMs: number; nice: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { cpuMs: (Number(fields[11]) + Number(fields[12])) * 10, nice: Number(fields[16]) };
}

test('the priority is lowered before the worker loads its modules, so its start-up yields too', async () => {
  // node itself, not the tsx launcher, so that the pid is the worker's.
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/worker-main.ts'], { cwd: root, env: workerEnv({ PERSONAE_DELIVERY: 'off' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let cpuWhenLowered: number | null = null;
  const sampler = setInterval(() => {
    try {
      const s = procStat(child.pid!);
      if (cpuWhenLowered === null && s.nice >= 10) cpuWhenLowered = s.cpuMs;
    } catch {
      // not started yet, or gone
    }
  }, 2);
  try {
    const cpuWhenStarted = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('"worker started"')) resolve(procStat(child.pid!).cpuMs);
      });
      child.stderr!.on('data', (d) => (out += d));
      child.once('exit', (code) => reject(new Error(`the worker exited with ${code}:\n${out}`)));
    });
    expect(os.getPriority(child.pid!)).toBe(Math.max(10, os.getPriority()));
    // Lowered after tsx's own start (~0.5 s) but before the ~2 s of loading the worker's
    // modules; lowering at the end of that (as before) showed ~95% of it here.
    expect(cpuWhenLowered).not.toBeNull();
    expect(cpuWhenLowered! / cpuWhenStarted).toBeLessThan(0.6);
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
  }
}, 120_000);
