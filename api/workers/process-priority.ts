// Worker processes run at a lower CPU priority than API processes. Sending is throughput work:
// a batch that waits a few milliseconds for a core costs nothing visible. API requests and
// live updates are latency work: where workers and API processes share cores, an equal share
// made a 1,000-subscriber fan-out wait behind rendering (bench/live, same day: p99 from counter
// change to receipt 258–560 ms with the worker at the API's priority, 202–316 ms at nice 10).
// Niceness only matters while cores are contended; an idle host gives the worker all it asks.
import os from 'node:os';
import type { Logger } from '../../core/logger';

/** The default niceness of worker processes (PERSONAE_WORKER_NICE). */
export const DEFAULT_WORKER_NICE = 10;

/**
 * Lowers this process's priority to `nice` (0 = unchanged). Only ever lowers it: raising a
 * priority needs privileges, and a process already started nicer (by `nice`, systemd's Nice=,
 * a container runtime) is left as its operator set it.
 */
export function lowerProcessPriority(nice: number, log: Logger): void {
  const current = os.getPriority();
  if (nice <= current) return;
  try {
    os.setPriority(nice);
  } catch (err) {
    log.warn({ err: (err as Error).message, nice }, 'could not lower the worker process priority');
  }
}
