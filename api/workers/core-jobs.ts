import type { JobHandler } from '../../core/jobs/job-handler';

/**
 * Job handlers that ship with core (persona refresh, model training, scheduled launches...).
 * Each domain adds its handlers here; plugins add theirs through definePlugin({ jobs }).
 */
export function coreJobHandlers(): JobHandler[] {
  return [];
}
