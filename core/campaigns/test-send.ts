// Test sends: every variant of a campaign, rendered for a sample contact (or an empty one),
// sent at once to a short seed list through the campaign's provider. Not recipients of the
// campaign, so no message rows, no tracking tokens and no effect on stats or frequency caps;
// the subject says [Test] and the unsubscribe link goes to a page saying it was a test.
import type { WorkspaceContext } from '../context';
import { NotFoundError, ValidationError, type Issue } from '../errors';
import { checkEmail } from '../contacts/email';
import type { SendOutcome } from '../ports/email-provider';
import { emptyScope, loadPreparedTemplate, loadTemplateScopes, renderMessage, type TemplateScope } from '../templates';
import { writeAudit } from '../audit/audit-log';
import { getWorkspace } from '../workspaces/workspaces';
import { ProviderResolver, type ResolvedProvider } from '../delivery/provider-resolver';
import { utmParams } from '../delivery/batch-render';
import { getCampaign, getVariants } from './campaigns.service';

export const MAX_SEEDS = 20;

export interface TestSendResult {
  email: string;
  variant: string;
  status: SendOutcome['status'];
  reason: string | null;
}

export async function sendTestEmails(ctx: WorkspaceContext, args: { campaignId: number; emails: string[]; contactId?: number | null; publicUrl: string }): Promise<TestSendResult[]> {
  const issues: Issue[] = [];
  if (!args.emails.length || args.emails.length > MAX_SEEDS) issues.push({ path: ['emails'], message: `give 1–${MAX_SEEDS} addresses` });
  const emails = args.emails.map((e, i) => {
    const c = checkEmail(e);
    if (!c.ok) issues.push({ path: ['emails', i], message: c.message });
    return c.ok ? c.email : e;
  });
  if (issues.length) throw new ValidationError('invalid test send', issues);
  const campaign = await getCampaign(ctx, args.campaignId);
  const variants = await getVariants(ctx, campaign.id);
  const workspace = await getWorkspace(ctx);
  let scope = emptyScope({ id: workspace.id, name: workspace.name, timezone: workspace.timezone });
  if (args.contactId) {
    const found = (await loadTemplateScopes(ctx, { contactIds: [args.contactId] })).get(args.contactId);
    if (!found) throw new NotFoundError('contact', args.contactId);
    scope = found;
  }
  const resolver = new ProviderResolver(ctx);
  try {
    return await sendVariants(ctx, { campaign, variants, scope, emails, provider: await resolver.resolve(ctx.workspaceId, campaign.integrationId), publicUrl: args.publicUrl });
  } finally {
    await resolver.closeAll();
  }
}

async function sendVariants(
  ctx: WorkspaceContext,
  args: {
    campaign: Awaited<ReturnType<typeof getCampaign>>;
    variants: Awaited<ReturnType<typeof getVariants>>;
    scope: TemplateScope;
    emails: string[];
    provider: ResolvedProvider;
    publicUrl: string;
  },
): Promise<TestSendResult[]> {
  const { campaign, variants, scope, emails, provider } = args;
  const unsubscribeUrl = `${args.publicUrl.replace(/\/$/, '')}/u/test`;
  const utm = utmParams(campaign.utm);
  const results: TestSendResult[] = [];
  for (const v of variants) {
    const versionId = v.templateVersionId ?? (await latestVersionId(ctx, v.templateId!));
    const template = await loadPreparedTemplate(ctx, { versionId, subjectOverride: v.subject });
    const rendered = renderMessage(template, { ...scope, campaign: { id: campaign.id, name: campaign.name, variant: v.name } }, { unsubscribeUrl, utm });
    const label = variants.length > 1 ? `[Test ${v.name}] ` : '[Test] ';
    const messages = emails.map((to, i) => ({
      messageId: `test-${campaign.id}-${v.id}-${i}-${Date.now().toString(36)}`,
      to: { email: to },
      from: { email: campaign.fromEmail, ...((v.fromName ?? campaign.fromName) ? { name: (v.fromName ?? campaign.fromName)! } : {}) },
      ...(campaign.replyToEmail ? { replyTo: { email: campaign.replyToEmail } } : {}),
      subject: label + rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      customArgs: { personae_test_send: String(campaign.id) },
      categories: ['test-send'],
    }));
    const outcomes = await provider.instance.send({ messages });
    emails.forEach((email, i) => {
      const o = outcomes[i] ?? { status: 'retryable', reason: 'no outcome' };
      results.push({ email, variant: v.name, status: o.status, reason: o.status === 'accepted' ? null : o.reason });
    });
  }
  await writeAudit(ctx, { action: 'campaign.test_sent', targetType: 'Campaign', targetId: campaign.id, details: { emails: emails.length } });
  return results;
}

async function latestVersionId(ctx: WorkspaceContext, templateId: number): Promise<number> {
  const t = await ctx.db.prisma.template.findFirst({ where: { id: templateId, workspaceId: ctx.workspaceId } });
  const v = t && (await ctx.db.prisma.templateVersion.findFirst({ where: { templateId, version: t.latestVersion } }));
  if (!v) throw new NotFoundError('template version for template', templateId);
  return v.id;
}
