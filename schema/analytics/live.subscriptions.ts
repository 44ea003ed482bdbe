// Live analytics over graphql-ws and SSE: campaignStats (coalesced figures), campaignStatusChanged
// and personaMembershipChanged. Events carry ids and are filtered to the subscriber's
// workspace before anything else; what the client sees is re-read through workspace-scoped
// loads. Another workspace's id fails exactly like a missing one.
// After a Redis outage (`pubsub.resynced`) campaignStats and campaignStatusChanged catch up on
// what other processes changed meanwhile (live-stats-feed.ts, campaign-status-stream.ts).
// personaMembershipChanged does not: each item is one refresh's entered/left counts, and the
// refreshes other processes ran during the outage cannot be rebuilt from the current state
// (the persona's size can, but a made-up item would claim a refresh that did not happen), so
// those events are lost to this process's subscribers; `persona` re-reads on the next one.
import { builder } from '../builder';
import { ws, type GraphQLContext } from '../context';
import { numericId } from '../common/global-id';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { NotFoundError } from '../../core/errors';
import { CampaignRef, CampaignStatusEnum } from '../campaigns/campaign.type';
import { PersonaRef } from '../personas/persona.type';
import { CampaignMetricsRef } from './campaign-metrics.type';
import { campaignMetrics } from './campaign-figures';
import { liveStatsFeed, type StatsTick } from './live-stats-feed';
import { mergeTopics } from './merge-topics';
import { campaignStatusChanges, type StatusChange } from './campaign-status-stream';
import '../../core/personas/persona-events';

/** The campaign id, if it is one of the caller's workspace; NOT_FOUND otherwise (same message either way). */
export async function ownCampaignId(ctx: GraphQLContext, id: string | number): Promise<number> {
  const campaignId = numericId(String(id), 'Campaign', ['campaignId']);
  const found = await ctx.core.db.prisma.campaign.findFirst({ where: { id: campaignId, workspaceId: ws(ctx).workspaceId }, select: { id: true } });
  if (!found) throw new NotFoundError('campaign', String(id));
  return campaignId;
}

async function ownPersonaId(ctx: GraphQLContext, id: string | number): Promise<number> {
  const personaId = numericId(String(id), 'Persona', ['personaId']);
  const found = await ctx.core.db.prisma.persona.findFirst({ where: { id: personaId, workspaceId: ws(ctx).workspaceId }, select: { id: true } });
  if (!found) throw new NotFoundError('persona', String(id));
  return personaId;
}

interface MembershipUpdate {
  workspaceId: number;
  personaId: number;
  entered: number;
  left: number;
  size: number;
  at: Date;
}

const StatusChangeRef = builder.objectRef<StatusChange>('CampaignStatusChange').implement({
  fields: (t) => ({
    campaignId: t.id({ resolve: (e) => encodeGlobalID('Campaign', String(e.campaignId)) }),
    status: t.field({ type: CampaignStatusEnum, resolve: (e) => e.status as never }),
    previousStatus: t.field({ type: CampaignStatusEnum, resolve: (e) => e.previousStatus as never }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why (a pause reason, the provider circuit breaker…).' }),
    at: t.expose('at', { type: 'DateTime', description: 'When this process received the change.' }),
    campaign: t.field({
      type: CampaignRef,
      nullable: true,
      description: 'The campaign as it is now (re-read; null if it was deleted).',
      resolve: (e, _a, ctx) => ctx.core.db.prisma.campaign.findFirst({ where: { id: e.campaignId, workspaceId: ws(ctx).workspaceId } }),
    }),
  }),
});

const MembershipUpdateRef = builder.objectRef<MembershipUpdate>('PersonaMembershipUpdate').implement({
  description: 'A refresh changed who belongs to a persona.',
  fields: (t) => ({
    personaId: t.id({ resolve: (e) => encodeGlobalID('Persona', String(e.personaId)) }),
    entered: t.exposeInt('entered'),
    left: t.exposeInt('left'),
    size: t.exposeInt('size', { description: 'Members after the refresh.' }),
    at: t.expose('at', { type: 'DateTime' }),
    persona: t.field({
      type: PersonaRef,
      nullable: true,
      description: 'The persona as it is now (re-read; null if it was deleted).',
      resolve: (e, _a, ctx) => ctx.core.db.prisma.persona.findFirst({ where: { id: e.personaId, workspaceId: ws(ctx).workspaceId } }),
    }),
  }),
});

builder.subscriptionFields((t) => ({
  campaignStats: t.field({
    type: CampaignMetricsRef,
    description: 'The campaign\'s figures now, then again whenever they change (at most a few times a second).',
    args: { campaignId: t.arg.id({ required: true }) },
    subscribe: async (_root, { campaignId }, ctx) => liveStatsFeed(ctx.pubsub).subscribe(ws(ctx).workspaceId, await ownCampaignId(ctx, campaignId)),
    resolve: (tick, _args, ctx) => {
      const t = tick as unknown as StatsTick;
      if (t.workspaceId !== ws(ctx).workspaceId) throw new NotFoundError('campaign', String(t.campaignId));
      return campaignMetrics(ctx, t.campaignId, { kind: 'tick', seq: t.seq });
    },
  }),
  campaignStatusChanged: t.field({
    type: StatusChangeRef,
    description: 'Status changes of one campaign, or of every campaign of the workspace.',
    args: { campaignId: t.arg.id() },
    subscribe: async (_root, args, ctx) => {
      const only = args.campaignId ? await ownCampaignId(ctx, args.campaignId) : null;
      return campaignStatusChanges(ctx.pubsub, ws(ctx), only);
    },
    resolve: (e) => e as unknown as StatusChange,
  }),
  personaMembershipChanged: t.field({
    type: MembershipUpdateRef,
    description: 'Membership changes of one persona, or of every persona of the workspace.',
    args: { personaId: t.arg.id() },
    subscribe: async (_root, args, ctx) => {
      const workspaceId = ws(ctx).workspaceId;
      const only = args.personaId ? await ownPersonaId(ctx, args.personaId) : null;
      return mergeTopics(ctx.pubsub, ['persona.membership.changed'], (_t, e) =>
        e.workspaceId === workspaceId && (only === null || e.personaId === only)
          ? { workspaceId, personaId: e.personaId, entered: e.entered, left: e.left, size: e.size, at: new Date() }
          : null,
      );
    },
    resolve: (e) => e as unknown as MembershipUpdate,
  }),
}));
