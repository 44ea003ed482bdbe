// Live campaign progress: emits the campaign whenever its status changes, a batch leaves,
// message events are applied, or its A/B test is decided. Events carry ids; the campaign is
// re-read through the workspace scope.
import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { NotFoundError } from '../../core/errors';
import { CampaignRef } from './campaign.type';

const TOPICS = ['campaign.status.changed', 'campaign.batch.sent', 'message.events.applied', 'campaign.ab.decided'] as const;

builder.subscriptionFields((t) => ({
  campaignUpdated: t.field({
    type: CampaignRef,
    args: { id: t.arg.id({ required: true }) },
    subscribe: async function* (_root, { id }, ctx) {
      const campaignId = numericId(String(id), 'Campaign', ['id']);
      const workspaceId = ws(ctx).workspaceId;
      const exists = await ctx.core.db.prisma.campaign.findFirst({ where: { id: campaignId, workspaceId }, select: { id: true } });
      if (!exists) throw new NotFoundError('campaign', String(id));
      const streams = TOPICS.map((topic) => ctx.pubsub.subscribe(topic)[Symbol.asyncIterator]());
      const pending = new Map(streams.map((s, i) => [i, s.next().then((r) => ({ i, r }))]));
      try {
        while (pending.size) {
          const { i, r } = await Promise.race(pending.values());
          if (r.done) {
            pending.delete(i);
            continue;
          }
          pending.set(i, streams[i].next().then((x) => ({ i, r: x })));
          const e = r.value as { workspaceId: number; campaignId: number };
          if (e.workspaceId === workspaceId && e.campaignId === campaignId) yield campaignId;
        }
      } finally {
        await Promise.allSettled(streams.map((s) => s.return?.()));
      }
    },
    resolve: (campaignId, _args, ctx) => ctx.core.db.prisma.campaign.findFirstOrThrow({ where: { id: campaignId as number, workspaceId: ws(ctx).workspaceId } }),
  }),
}));
