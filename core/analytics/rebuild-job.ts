// `analytics.rebuild`: recomputes rollups from the raw rows in the background, for one campaign
// (payload { campaignId }) or the whole workspace. Idempotent, so a retried job is harmless.
import { defineJob } from '../jobs/job-handler';
import { rebuildCampaignRollups, rebuildWorkspaceRollups } from './rollup-rebuild';

export const ANALYTICS_REBUILD_JOB = 'analytics.rebuild';

export const rebuildRollupsJob = defineJob({
  key: ANALYTICS_REBUILD_JOB,
  async run({ core, job, progress }) {
    if (job.workspaceId === null) throw Object.assign(new Error('analytics.rebuild needs a workspace'), { permanent: true });
    const campaignId = Number(job.payload.campaignId ?? 0);
    if (campaignId) {
      await rebuildCampaignRollups(core, { workspaceId: job.workspaceId, campaignId });
      return { campaigns: 1 };
    }
    const campaigns = await rebuildWorkspaceRollups(core, job.workspaceId, (done, total) => progress(done / total, `${done}/${total} campaigns`));
    return { campaigns };
  },
});
