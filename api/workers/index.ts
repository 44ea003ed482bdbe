import type { CoreContext } from '../../core/context';
import type { BackgroundLoop } from '../../core/background-loop';
import { createJobWorker } from './job-worker';
import { createDeliveryLoops } from './delivery-loops';
import { createScoringSchedule } from '../../core/models/scoring-job';
import { createPersonaRefreshLoop } from '../../core/personas/refresh-scheduler';

/** Every background loop a worker process (or an API process with WORKERS_IN_PROCESS) runs. */
export function createWorkerLoops(core: CoreContext): BackgroundLoop[] {
  return [createJobWorker(core), createScoringSchedule(core), createPersonaRefreshLoop(core), ...createDeliveryLoops(core)];
}

export async function stopAll(loops: BackgroundLoop[]): Promise<void> {
  await Promise.allSettled(loops.map((l) => l.stop()));
}
