// Worker processes run at a lower CPU priority than API processes. Sending is throughput work:
// a batch that waits a few milliseconds for a core costs nothing visible. API requests and
// live updates are latency work: where workers and API processes share cores, an equal share
// made a 1,000-subscriber fan-out wait behind rendering (bench/live, same day: p99 from counter
// change to receipt 258–560 ms with the worker at the API's priority, 202–316 ms at nice 10).
// Niceness only matters while cores are contended; an idle host gives the worker all it asks.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import type { Logger } from '../../core/logger';

/** The default niceness of worker processes (PERSONAE_WORKER_NICE). */
export const DEFAULT_WORKER_NICE = 10;

/**
 * The process's other threads (Linux). Niceness is a per-thread attribute there (setpriority(2),
 * "Bugs"): setting the process's only changes the calling thread, and threads started before
 * it keep theirs. Node starts V8's garbage-collection and compiler threads before any of our
 * code runs, and they are busy exactly when the worker is (a fresh worker used 1.6–2.2 cores
 * while compiling its first batches, the main thread at nice 10 and those threads at 0).
 * Threads started later (libuv's pool) inherit the niceness of the thread that starts them.
 */
function otherThreads(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number).filter((tid) => tid !== process.pid);
  } catch {
    return []; // not Linux: the priority is the process's
  }
}

/**
 * Lowers this process's priority to `nice` (0 = unchanged), every thread of it. Only ever
 * lowers it: raising a priority needs privileges, and a process already started nicer (by
 * `nice`, systemd's Nice=, a container runtime) is left as its operator set it.
 */
export function lowerProcessPriority(nice: number, log?: Pick<Logger, 'warn'>): void {
  const current = os.getPriority();
  if (nice <= current) return;
  try {
    os.setPriority(nice);
  } catch (err) {
    return log?.warn({ err: (err as Error).message, nice }, 'could not lower the worker process priority');
  }
  for (const tid of otherThreads()) {
    try {
      if (os.getPriority(tid) < nice) os.setPriority(tid, nice);
    } catch {
      // The thread ended since it was listed.
    }
  }
}
