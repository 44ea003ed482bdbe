import { randomBytes } from 'node:crypto';
import type { CoreContext, WorkspaceContext } from '../context';
import { NotFoundError, ValidationError, fromZodIssues } from '../errors';
import type { Prisma } from '../db/prisma-client';
import { writeAudit } from '../audit/audit-log';
import { isValidTimeZone } from '../util/time-zones';
import { parseWorkspaceSettings, workspaceSettingsSchema, type WorkspaceSettingsInput, type WorkspaceSettings } from './workspace-settings';

export interface CreateWorkspaceInput {
  name: string;
  slug?: string;
  timezone?: string;
  isDemo?: boolean;
}

/** Creates a workspace (not scoped: called at boot, by tests and by operators). */
export async function createWorkspace(core: CoreContext, input: CreateWorkspaceInput) {
  const name = input.name.trim();
  if (!name || name.length > 120) throw ValidationError.at(['name'], 'must be 1–120 characters');
  const timezone = input.timezone ?? 'UTC';
  if (!isValidTimeZone(timezone)) throw ValidationError.at(['timezone'], `unknown time zone "${timezone}"`);
  const slug = input.slug ?? `${slugify(name)}-${randomBytes(3).toString('hex')}`;
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(slug)) throw ValidationError.at(['slug'], 'use lowercase letters, digits and dashes');
  return core.db.prisma.workspace.create({ data: { name, slug, timezone, isDemo: input.isDemo ?? false, settings: {} } });
}

export async function getWorkspace(ctx: WorkspaceContext) {
  const ws = await ctx.db.prisma.workspace.findUnique({ where: { id: ctx.workspaceId } });
  if (!ws) throw new NotFoundError('workspace');
  return ws;
}

export async function getWorkspaceSettings(ctx: WorkspaceContext): Promise<WorkspaceSettings> {
  return parseWorkspaceSettings((await getWorkspace(ctx)).settings);
}

/** Updates name, time zone and/or settings; settings are merged key by key over the current ones. */
export async function updateWorkspace(
  ctx: WorkspaceContext,
  input: { name?: string; timezone?: string; settings?: WorkspaceSettingsInput },
) {
  const current = await getWorkspace(ctx);
  const data: Prisma.WorkspaceUpdateInput = {};
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (!name || name.length > 120) throw ValidationError.at(['name'], 'must be 1–120 characters');
    data.name = name;
  }
  if (input.timezone !== undefined) {
    if (!isValidTimeZone(input.timezone)) throw ValidationError.at(['timezone'], `unknown time zone "${input.timezone}"`);
    data.timezone = input.timezone;
  }
  if (input.settings !== undefined) {
    const merged = { ...parseWorkspaceSettings(current.settings), ...input.settings };
    const parsed = workspaceSettingsSchema.safeParse(merged);
    if (!parsed.success) throw new ValidationError('invalid workspace settings', fromZodIssues(parsed.error.issues, ['settings']));
    data.settings = parsed.data as Prisma.InputJsonValue;
  }
  return ctx.db.prisma.$transaction(async (tx) => {
    const ws = await tx.workspace.update({ where: { id: ctx.workspaceId }, data });
    await writeAudit(ctx, { action: 'workspace.updated', targetType: 'Workspace', targetId: ws.id, details: { fields: Object.keys(data) } }, tx);
    return ws;
  });
}

function slugify(s: string): string {
  const base = s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (base || 'workspace').slice(0, 50);
}
