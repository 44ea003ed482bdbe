// `npm run worker`: a process that only runs background loops (jobs, sending, schedulers).
// Run as many as you like beside the API processes; they coordinate through the database.
//
// This file lowers the process's priority before anything else is loaded. Loading and
// compiling the worker's modules is about 2 s of CPU (read from /proc/<pid>/stat; tsx's own
// start, before any of our code, another 0.5 s), and a worker (re)started on a busy host
// must already yield those cores.
import { DEFAULT_WORKER_NICE, lowerProcessPriority } from './workers/process-priority';

// The configured niceness as loadConfig will read it; a bad value is left for loadConfig to report.
const raw = process.env.PERSONAE_WORKER_NICE?.trim() || String(DEFAULT_WORKER_NICE);
if (/^\d+$/.test(raw) && Number(raw) <= 19) lowerProcessPriority(Number(raw));

// require, not import(): the rest loads as CommonJS under every way this file is run
// (tsx, `node --require tsx/cjs` as bench/live does, compiled), while import() needs an ESM loader.
async function main(): Promise<void> {
  const { ConfigError, loadConfig } = require('./config') as typeof import('./config');
  const { createLogger } = require('../core/logger') as typeof import('../core/logger');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const log = createLogger({ level: config.LOG_LEVEL, name: 'personae-worker' });
  // Again with a logger, to say why if it failed above (a no-op once lowered).
  lowerProcessPriority(config.PERSONAE_WORKER_NICE, log);
  const { runWorker } = require('./worker-process') as typeof import('./worker-process');
  await runWorker(config, log);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
