// Creating, editing and reading campaigns. Content and audience are editable in DRAFT only;
// after launch the recipients and the template versions are frozen.
import type { WorkspaceContext } from '../context';
import { FailedPreconditionError, NotFoundError, ValidationError, fromZodIssues, type Issue, type IssuePath } from '../errors';
import type { Prisma } from '../db/prisma-client';
import { writeAudit } from '../audit/audit-log';
import { campaignInputSchema, type CampaignInput, type CampaignSpec } from './campaign-input';
import { audienceSql } from './audience';
import { checkSubjectTemplate } from '../templates';

const VARIANT_NAMES = 'ABCDEFGH';

/** Parses and checks a campaign description against the workspace (templates, personas, provider). */
export async function checkCampaignInput(ctx: WorkspaceContext, input: CampaignInput, path: IssuePath): Promise<CampaignSpec> {
  const parsed = campaignInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('invalid campaign', fromZodIssues(parsed.error.issues, path));
  const spec = parsed.data;
  const issues: Issue[] = [];
  const collect = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      if (err instanceof ValidationError) issues.push(...(err.issues ?? []));
      else throw err;
    }
  };
  await collect(() => audienceSql(ctx, spec.audience, [...path, 'audience']));
  const templateIds = [...new Set(spec.variants.map((v) => v.templateId))];
  const templates = await ctx.db.prisma.template.findMany({ where: { workspaceId: ctx.workspaceId, id: { in: templateIds } }, select: { id: true, latestVersion: true, archivedAt: true } });
  const usable = new Map(templates.map((t) => [t.id, t]));
  spec.variants.forEach((v, i) => {
    const t = usable.get(v.templateId);
    if (!t) issues.push({ path: [...path, 'variants', i, 'templateId'], message: `template ${v.templateId} not found` });
    else if (t.latestVersion < 1) issues.push({ path: [...path, 'variants', i, 'templateId'], message: 'the template has no saved version' });
    else if (t.archivedAt) issues.push({ path: [...path, 'variants', i, 'templateId'], message: 'the template is archived' });
  });
  for (const [i, v] of spec.variants.entries()) {
    if (v.subject) await collect(() => checkSubjectTemplate(ctx, v.subject!, [...path, 'variants', i, 'subject']));
  }
  if (spec.integrationId) {
    const integ = await ctx.db.prisma.integrationConfig.findFirst({ where: { id: spec.integrationId, workspaceId: ctx.workspaceId } });
    if (!integ || integ.kind !== 'EMAIL_PROVIDER') issues.push({ path: [...path, 'integrationId'], message: `email provider integration ${spec.integrationId} not found` });
    else if (!ctx.extensions.emailProviders.get(integ.key)) issues.push({ path: [...path, 'integrationId'], message: `provider "${integ.key}" is not installed` });
  }
  if (issues.length) throw new ValidationError('invalid campaign', issues);
  return spec;
}

function columns(spec: CampaignSpec) {
  return {
    name: spec.name,
    type: spec.type,
    category: spec.category,
    fromEmail: spec.from.email.trim(),
    fromName: spec.from.name ?? null,
    replyToEmail: spec.replyTo?.email.trim() ?? null,
    replyToName: spec.replyTo?.name ?? null,
    integrationId: spec.integrationId ?? null,
    audience: (spec.audience ?? undefined) as Prisma.InputJsonValue | undefined,
    utm: (spec.utm ?? undefined) as Prisma.InputJsonValue | undefined,
    sendMode: spec.schedule.mode,
    sendAt: spec.schedule.sendAt ?? null,
    stoWindowHours: spec.schedule.windowHours,
    throttlePerMinute: spec.throttlePerMinute ?? null,
    abTestFraction: spec.abTest?.testFraction ?? null,
    abMetric: spec.abTest?.metric ?? null,
    abWindowMinutes: spec.abTest?.windowMinutes ?? null,
    abFallback: spec.abTest?.fallback ?? null,
    trigger: (spec.trigger ?? undefined) as Prisma.InputJsonValue | undefined,
  };
}

function variantRows(ctx: WorkspaceContext, spec: CampaignSpec) {
  return spec.variants.map((v, i) => ({
    workspaceId: ctx.workspaceId,
    position: i,
    name: v.name ?? VARIANT_NAMES[i],
    templateId: v.templateId,
    subject: v.subject ?? null,
    fromName: v.fromName ?? null,
  }));
}

/** Creates a DRAFT campaign with its variants. */
export async function createCampaign(ctx: WorkspaceContext, input: CampaignInput, path: IssuePath = ['input']) {
  const spec = await checkCampaignInput(ctx, input, path);
  const row = await ctx.db.prisma.$transaction(async (tx) => {
    const created = await tx.campaign.create({ data: { workspaceId: ctx.workspaceId, ...columns(spec), variants: { create: variantRows(ctx, spec) } } });
    await writeAudit(ctx, { action: 'campaign.created', targetType: 'Campaign', targetId: created.id, details: { name: spec.name, type: spec.type } }, tx);
    return created;
  });
  ctx.events.emit('campaign.changed', { workspaceId: ctx.workspaceId, campaignId: row.id, change: 'created' });
  return row;
}

/** Replaces a DRAFT campaign's description (the same shape as create). */
export async function updateCampaign(ctx: WorkspaceContext, id: number, input: CampaignInput, path: IssuePath = ['input']) {
  const current = await getCampaign(ctx, id);
  if (current.status !== 'DRAFT') throw new FailedPreconditionError(`campaign ${id} is ${current.status}; only drafts can be edited`);
  const spec = await checkCampaignInput(ctx, input, path);
  const row = await ctx.db.prisma.$transaction(async (tx) => {
    // Re-check inside the transaction: a launch may have won the race.
    const { count } = await tx.campaign.updateMany({ where: { id, workspaceId: ctx.workspaceId, status: 'DRAFT' }, data: columns(spec) });
    if (!count) throw new FailedPreconditionError(`campaign ${id} is no longer a draft`);
    await tx.campaignVariant.deleteMany({ where: { campaignId: id } });
    await tx.campaignVariant.createMany({ data: variantRows(ctx, spec).map((v) => ({ ...v, campaignId: id })) });
    await writeAudit(ctx, { action: 'campaign.updated', targetType: 'Campaign', targetId: id }, tx);
    return tx.campaign.findUniqueOrThrow({ where: { id } });
  });
  ctx.events.emit('campaign.changed', { workspaceId: ctx.workspaceId, campaignId: id, change: 'updated' });
  return row;
}

/** Deletes a campaign that never sent (DRAFT or CANCELLED before launch). */
export async function deleteCampaign(ctx: WorkspaceContext, id: number): Promise<void> {
  const c = await getCampaign(ctx, id);
  if (c.status !== 'DRAFT' && !(c.status === 'CANCELLED' && !c.launchedAt)) {
    throw new FailedPreconditionError(`campaign ${id} is ${c.status}; only drafts can be deleted (cancel it instead)`);
  }
  await ctx.db.prisma.campaign.delete({ where: { id } });
  await writeAudit(ctx, { action: 'campaign.deleted', targetType: 'Campaign', targetId: id });
  ctx.events.emit('campaign.changed', { workspaceId: ctx.workspaceId, campaignId: id, change: 'deleted' });
}

/** A campaign of the caller's workspace (NotFoundError otherwise). */
export async function getCampaign(ctx: WorkspaceContext, id: number) {
  const row = await ctx.db.prisma.campaign.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!row) throw new NotFoundError('campaign', id);
  return row;
}

export async function getVariants(ctx: WorkspaceContext, campaignId: number) {
  return ctx.db.prisma.campaignVariant.findMany({ where: { campaignId, workspaceId: ctx.workspaceId }, orderBy: { position: 'asc' } });
}
