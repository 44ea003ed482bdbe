// Worker processes lower their own CPU priority (api/workers/process-priority.ts), so that
// sending yields cores to API processes on a shared host. Read from the OS, by pid and by
// thread (Linux keeps a niceness per thread: V8's GC and compiler threads must be lowered too).
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startWorker, type PersonaeProcess } from '../live/support/processes';

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
  const bad = spawnSync(process.execPath, ['--import', 'tsx', 'api/worker-main.ts'], { cwd: root, env: { ...process.env, PERSONAE_WORKER_NICE: '25' }, encoding: 'utf8', timeout: 60_000 });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/PERSONAE_WORKER_NICE: .*\(got "25"\)/);
}, 120_000);
