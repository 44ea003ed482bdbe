// workspaceActivity: the notable things happening in a workspace, as one stream — campaigns
// starting, finishing, pausing or being cancelled, A/B winners chosen, provider circuits
// opening. Each item carries ids; the campaign and variant are re-read on delivery.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder';
import { ws } from '../context';
import { CampaignRef, CampaignVariantRef } from '../campaigns/campaign.type';
import { mergeTopics } from './merge-topics';
import type { DomainEventMap } from '../../core/domain-events';
import '../../core/analytics/analytics-events';

const KINDS = ['CAMPAIGN_STARTED', 'CAMPAIGN_FINISHED', 'CAMPAIGN_PAUSED', 'CAMPAIGN_RESUMED', 'CAMPAIGN_CANCELLED', 'AB_WINNER_CHOSEN', 'PROVIDER_CIRCUIT_OPENED'] as const;
type Kind = (typeof KINDS)[number];

interface Activity {
  kind: Kind;
  at: Date;
  campaignId: number | null;
  status: string | null;
  reason: string | null;
  winnerVariantId: number | null;
  significant: boolean | null;
  providerKey: string | null;
}

const ActivityKindEnum = builder.enumType('WorkspaceActivityKind', { values: KINDS });

const ActivityRef = builder.objectRef<Activity>('WorkspaceActivity').implement({
  fields: (t) => ({
    kind: t.field({ type: ActivityKindEnum, resolve: (a) => a.kind }),
    at: t.expose('at', { type: 'DateTime', description: 'When this process received it.' }),
    campaignId: t.id({ nullable: true, resolve: (a) => (a.campaignId ? encodeGlobalID('Campaign', String(a.campaignId)) : null) }),
    campaign: t.field({
      type: CampaignRef,
      nullable: true,
      resolve: (a, _x, ctx) => (a.campaignId ? ctx.core.db.prisma.campaign.findFirst({ where: { id: a.campaignId, workspaceId: ws(ctx).workspaceId } }) : null),
    }),
    reason: t.exposeString('reason', { nullable: true }),
    winnerVariant: t.field({
      type: CampaignVariantRef,
      nullable: true,
      description: 'AB_WINNER_CHOSEN: the variant the rest of the audience gets.',
      resolve: (a, _x, ctx) => (a.winnerVariantId ? ctx.core.db.prisma.campaignVariant.findFirst({ where: { id: a.winnerVariantId, workspaceId: ws(ctx).workspaceId } }) : null),
    }),
    significant: t.exposeBoolean('significant', { nullable: true, description: 'AB_WINNER_CHOSEN: whether the test was significant (otherwise the fallback applied).' }),
    providerKey: t.exposeString('providerKey', { nullable: true, description: 'PROVIDER_CIRCUIT_OPENED: the provider.' }),
  }),
});

const TOPICS = ['campaign.status.changed', 'campaign.ab.decided', 'provider.circuit.opened'] as const;
type Topic = (typeof TOPICS)[number];

/** What a domain event means as activity, or null when it is not notable. */
export function toActivity(topic: Topic, e: DomainEventMap[Topic]): Activity | null {
  const base = { at: new Date(), campaignId: null, status: null, reason: null, winnerVariantId: null, significant: null, providerKey: null };
  if (topic === 'campaign.ab.decided') {
    const d = e as DomainEventMap['campaign.ab.decided'];
    return { ...base, kind: 'AB_WINNER_CHOSEN', campaignId: d.campaignId, winnerVariantId: d.winnerVariantId, significant: d.significant };
  }
  if (topic === 'provider.circuit.opened') {
    const p = e as DomainEventMap['provider.circuit.opened'];
    return { ...base, kind: 'PROVIDER_CIRCUIT_OPENED', providerKey: p.providerKey, reason: p.reason };
  }
  const s = e as DomainEventMap['campaign.status.changed'];
  const kind = statusKind(s.previousStatus, s.status);
  return kind ? { ...base, kind, campaignId: s.campaignId, status: s.status, reason: s.reason ?? null } : null;
}

function statusKind(from: string, to: string): Kind | null {
  if ((to === 'SENDING' || to === 'ACTIVE') && from === 'PAUSED') return 'CAMPAIGN_RESUMED';
  if (to === 'SENDING' || to === 'ACTIVE') return 'CAMPAIGN_STARTED';
  if (to === 'SENT') return 'CAMPAIGN_FINISHED';
  if (to === 'PAUSED') return 'CAMPAIGN_PAUSED';
  if (to === 'CANCELLED') return 'CAMPAIGN_CANCELLED';
  return null;
}

builder.subscriptionFields((t) => ({
  workspaceActivity: t.field({
    type: ActivityRef,
    description: 'Notable events of the workspace: campaigns started, finished, paused, resumed or cancelled, A/B winners chosen, provider circuits opened.',
    subscribe: (_root, _args, ctx) => {
      const workspaceId = ws(ctx).workspaceId;
      return mergeTopics(ctx.pubsub, TOPICS, (topic, e) => (e.workspaceId === workspaceId ? toActivity(topic, e) : null));
    },
    resolve: (a) => a as unknown as Activity,
  }),
}));
