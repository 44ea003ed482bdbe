// Status changes as compare-and-set updates: a change applies only from the statuses it is
// allowed from, so concurrent callers (a person pausing, the circuit breaker, the scheduler)
// cannot trample each other. Every change is announced as `campaign.status.changed`.
import type { CoreContext, WorkspaceContext } from '../context';
import type { Prisma } from '../db/prisma-client';
import './campaign-events';

export type CampaignStatus = 'DRAFT' | 'SCHEDULED' | 'SENDING' | 'ACTIVE' | 'PAUSED' | 'SENT' | 'CANCELLED';

/** Statuses in which the sender works on a campaign's messages. */
export const LIVE_STATUSES: CampaignStatus[] = ['SENDING', 'ACTIVE'];

/** Moves campaign `id` from one of `from` to `to`; returns the previous status, or null when it was not in `from`. */
export async function transitionCampaign(
  core: CoreContext,
  args: { workspaceId: number; campaignId: number; from: CampaignStatus[]; to: CampaignStatus; data?: Prisma.CampaignUpdateManyMutationInput; reason?: string },
): Promise<CampaignStatus | null> {
  for (const previous of args.from) {
    // One status at a time so we know which one we moved from.
    const { count } = await core.db.prisma.campaign.updateMany({
      where: { id: args.campaignId, workspaceId: args.workspaceId, status: previous },
      data: { ...args.data, status: args.to },
    });
    if (count) {
      core.events.emit('campaign.status.changed', {
        workspaceId: args.workspaceId,
        campaignId: args.campaignId,
        status: args.to,
        previousStatus: previous,
        ...(args.reason ? { reason: args.reason } : {}),
      });
      return previous;
    }
  }
  return null;
}

/** Convenience for callers holding a workspace context. */
export function transition(ctx: WorkspaceContext, campaignId: number, from: CampaignStatus[], to: CampaignStatus, data?: Prisma.CampaignUpdateManyMutationInput, reason?: string) {
  return transitionCampaign(ctx, { workspaceId: ctx.workspaceId, campaignId, from, to, data, reason });
}
