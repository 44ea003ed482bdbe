import { forWorkspace } from '../context';
import { defineJob } from '../jobs/job-handler';
import { syncConnector } from './connector-sync';

export const CONNECTOR_SYNC_JOB = 'connector.sync';

/** Runs a connector sync in the background; progress is the number of batches written. */
export const connectorSyncJob = defineJob({
  key: CONNECTOR_SYNC_JOB,
  leaseMs: 120_000,
  run: async ({ core, job, signal, progress }) => {
    const ctx = forWorkspace(core, job.workspaceId!, { type: 'system', name: 'connector-sync' });
    const result = await syncConnector(ctx, {
      integrationId: Number(job.payload.integrationId),
      signal,
      // Unknown total: report batches done, asymptotically approaching 1.
      onBatch: (r) => progress(1 - 1 / (r.batches + 1), `${r.batches} batch(es), ${r.contacts.created} new contacts`),
    });
    return result;
  },
});
