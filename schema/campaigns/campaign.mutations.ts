// Campaign mutations: create and edit drafts, launch, pause/resume/cancel, test sends, the
// audience preview and provider throttles. Thin: decode IDs, call core, re-read.
import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { createCampaign, deleteCampaign, updateCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { cancelCampaign, pauseCampaign, resumeCampaign } from '../../core/campaigns/campaign-controls';
import { sendTestEmails } from '../../core/campaigns/test-send';
import { previewAudience } from '../../core/campaigns/audience-preview';
import { setChannelThrottle } from '../../core/delivery/circuit-breaker';
import { getIntegrationRow } from '../../core/integrations/integration-configs';
import { trackingBaseUrl } from '../../core/tracking/tracking-config';
import { ValidationError } from '../../core/errors';
import { AudienceInputType, CampaignCategoryEnum, CampaignInputType, toCampaignInput } from './campaign.inputs';

const campaignId = (id: string | number) => numericId(String(id), 'Campaign', ['id']);

const TestSendResultRef = builder.objectRef<{ email: string; variant: string; status: string; reason: string | null }>('TestSendResult').implement({
  fields: (t) => ({
    email: t.exposeString('email'),
    variant: t.exposeString('variant'),
    status: t.exposeString('status', { description: 'accepted, retryable or rejected (the provider\'s verdict).' }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const AudiencePreviewRef = builder.objectRef<{ matched: number; noEmail: number; notConsenting: number; suppressed: number; eligible: number }>('AudiencePreview').implement({
  fields: (t) => ({
    matched: t.exposeInt('matched'),
    noEmail: t.exposeInt('noEmail'),
    notConsenting: t.exposeInt('notConsenting'),
    suppressed: t.exposeInt('suppressed'),
    eligible: t.exposeInt('eligible', { description: 'Who would receive it if launched now.' }),
  }),
});

builder.queryFields((t) => ({
  previewAudience: t.field({
    type: AudiencePreviewRef,
    description: 'Counts an audience as a launch would snapshot it (nothing is written).',
    args: { audience: t.arg({ type: AudienceInputType }), category: t.arg({ type: CampaignCategoryEnum }) },
    resolve: (_root, args, ctx) => {
      const input = toCampaignInput({ name: 'preview', from: { email: 'preview@example.com' }, variants: [], audience: args.audience }, []);
      return previewAudience(ws(ctx), { audience: input.audience ?? null, category: args.category ?? 'MARKETING' });
    },
  }),
}));

builder.mutationFields((t) => ({
  createCampaign: t.prismaField({
    type: 'Campaign',
    description: 'Creates a DRAFT campaign. Every problem with the input comes back at once as BAD_USER_INPUT issues with paths.',
    args: { input: t.arg({ type: CampaignInputType, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const row = await createCampaign(ws(ctx), toCampaignInput(input, ['input']), ['input']);
      return ctx.core.db.prisma.campaign.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
  updateCampaign: t.prismaField({
    type: 'Campaign',
    description: 'Replaces a DRAFT campaign\'s description (FAILED_PRECONDITION once launched).',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: CampaignInputType, required: true }) },
    resolve: async (query, _root, { id, input }, ctx) => {
      const row = await updateCampaign(ws(ctx), campaignId(id), toCampaignInput(input, ['input']), ['input']);
      return ctx.core.db.prisma.campaign.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
  deleteCampaign: t.id({
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      await deleteCampaign(ws(ctx), campaignId(id));
      return id;
    },
  }),
  launchCampaign: t.prismaField({
    type: 'Campaign',
    description: 'Broadcasts: snapshots the audience into one message per recipient and schedules them. Triggered: goes ACTIVE.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      await launchCampaign(ws(ctx), campaignId(id));
      return ctx.core.db.prisma.campaign.findUniqueOrThrow({ ...query, where: { id: campaignId(id) } });
    },
  }),
  pauseCampaign: t.prismaField({
    type: 'Campaign',
    args: { id: t.arg.id({ required: true }), reason: t.arg.string() },
    resolve: async (query, _root, { id, reason }, ctx) => {
      await pauseCampaign(ws(ctx), campaignId(id), reason);
      return ctx.core.db.prisma.campaign.findUniqueOrThrow({ ...query, where: { id: campaignId(id) } });
    },
  }),
  resumeCampaign: t.prismaField({
    type: 'Campaign',
    description: 'Resumes where it stopped; a tripped provider circuit is closed again.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      await resumeCampaign(ws(ctx), campaignId(id));
      return ctx.core.db.prisma.campaign.findUniqueOrThrow({ ...query, where: { id: campaignId(id) } });
    },
  }),
  cancelCampaign: t.prismaField({
    type: 'Campaign',
    description: 'Stops for good: waiting messages are cancelled (those already with the provider cannot be called back).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      await cancelCampaign(ws(ctx), campaignId(id));
      return ctx.core.db.prisma.campaign.findUniqueOrThrow({ ...query, where: { id: campaignId(id) } });
    },
  }),
  sendTestEmail: t.field({
    type: [TestSendResultRef],
    description: 'Sends every variant, marked [Test], to up to 20 seed addresses, personalised for `contactId` (or an empty contact). Not counted anywhere.',
    args: { id: t.arg.id({ required: true }), emails: t.arg.stringList({ required: true }), contactId: t.arg.id() },
    resolve: (_root, args, ctx) =>
      sendTestEmails(ws(ctx), {
        campaignId: campaignId(args.id),
        emails: args.emails,
        contactId: args.contactId ? numericId(String(args.contactId), 'Contact', ['contactId']) : null,
        publicUrl: trackingBaseUrl(ctx.core) ?? 'http://localhost:4000',
      }),
  }),
  setProviderThrottle: t.boolean({
    authScopes: { admin: true },
    description: 'Caps messages per minute through one email provider configuration (null: no cap).',
    args: { integrationId: t.arg.id({ required: true }), maxPerMinute: t.arg.int() },
    resolve: async (_root, args, ctx) => {
      if (args.maxPerMinute != null && (args.maxPerMinute < 1 || args.maxPerMinute > 1_000_000)) throw ValidationError.at(['maxPerMinute'], 'must be 1–1,000,000');
      const row = await getIntegrationRow(ws(ctx), numericId(String(args.integrationId), 'Integration', ['integrationId']));
      await setChannelThrottle(ws(ctx), { integrationId: row.id, providerKey: row.key, maxPerMinute: args.maxPerMinute ?? null });
      return true;
    },
  }),
}));
