import type { JobHandler } from '../../core/jobs/job-handler';
import { trainingJobHandler } from '../../core/models/training-job';
import { scoringJobHandler } from '../../core/models/scoring-job';
import { refreshWorkspaceJob } from '../../core/personas/refresh-scheduler';
import { connectorSyncJob } from '../../core/connectors/connector-sync.job';
import { rebuildRollupsJob } from '../../core/analytics/rebuild-job';

/**
 * Job handlers that ship with core (persona refresh, model training, scheduled launches...).
 * Each domain adds its handlers here; plugins add theirs through definePlugin({ jobs }).
 */
export function coreJobHandlers(): JobHandler[] {
  return [trainingJobHandler(), scoringJobHandler(), refreshWorkspaceJob, connectorSyncJob, rebuildRollupsJob];
}
