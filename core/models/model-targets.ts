// Targets: what a propensity model predicts. Built-in kinds (open, click, purchase, churn)
// and user-defined ones ("performs event X, with property filters, within N days").
import type { WorkspaceContext } from '../context';
import { ConflictError, NotFoundError, ValidationError, type Issue } from '../errors';
import { writeAudit } from '../audit/audit-log';
import type { Prisma } from '../db/prisma-client';
import { checkPropertyFilters, type PropertyFilter } from './property-filters';

export type ModelTargetKind = 'OPEN' | 'CLICK' | 'PURCHASE' | 'CHURN' | 'EVENT';

export interface ModelTargetInput {
  /** Defaults to `<kind>-<horizon>d`, e.g. `purchase-30d`. */
  key?: string | null;
  kind: ModelTargetKind;
  horizonDays: number;
  /** EVENT targets only. */
  eventType?: string | null;
  propertyFilters?: PropertyFilter[] | null;
  scoreRefreshHours?: number | null;
}

/** A target as core uses it (filters parsed). */
export interface ModelTargetRecord {
  id: number;
  workspaceId: number;
  key: string;
  kind: ModelTargetKind;
  eventType: string | null;
  propertyFilters: PropertyFilter[];
  horizonDays: number;
  activeModelId: number | null;
  scoreRefreshHours: number;
  lastScoredAt: Date | null;
}

const KEY_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const MAX_HORIZON_DAYS = 365;

/** Defines a target; its key must be unused in the workspace. */
export async function defineModelTarget(ctx: WorkspaceContext, input: ModelTargetInput): Promise<ModelTargetRecord> {
  const issues: Issue[] = [];
  const { kind } = input;
  if (!['OPEN', 'CLICK', 'PURCHASE', 'CHURN', 'EVENT'].includes(kind)) issues.push({ path: ['kind'], message: 'unknown kind' });
  if (!Number.isInteger(input.horizonDays) || input.horizonDays < 1 || input.horizonDays > MAX_HORIZON_DAYS) {
    issues.push({ path: ['horizonDays'], message: `a whole number of days from 1 to ${MAX_HORIZON_DAYS}` });
  }
  const key = input.key ?? `${kind.toLowerCase()}-${input.horizonDays}d`;
  if (!KEY_RE.test(key)) issues.push({ path: ['key'], message: 'lowercase letters, digits, - and _ (max 64), starting with a letter or digit' });
  let eventType: string | null = null;
  let filters: PropertyFilter[] = [];
  if (kind === 'EVENT') {
    eventType = input.eventType?.trim() ?? '';
    if (!eventType || eventType.length > 64) issues.push({ path: ['eventType'], message: 'an EVENT target needs the event type (1–64 characters)' });
    try {
      filters = checkPropertyFilters(input.propertyFilters, ['propertyFilters']);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues.push(...(err.issues ?? []));
    }
  } else if (input.eventType || input.propertyFilters?.length) {
    issues.push({ path: [input.eventType ? 'eventType' : 'propertyFilters'], message: `only EVENT targets take an event type and filters (${kind} has its own)` });
  }
  const refresh = input.scoreRefreshHours ?? 24;
  if (!Number.isInteger(refresh) || refresh < 1 || refresh > 24 * 30) issues.push({ path: ['scoreRefreshHours'], message: 'whole hours from 1 to 720' });
  if (issues.length) throw new ValidationError('invalid model target', issues);

  const exists = await ctx.db.prisma.modelTarget.findUnique({ where: { workspaceId_key: { workspaceId: ctx.workspaceId, key } } });
  if (exists) throw new ConflictError(`model target "${key}" already exists`, [{ path: ['key'], message: 'already in use' }]);
  const row = await ctx.db.prisma.modelTarget.create({
    data: {
      workspaceId: ctx.workspaceId,
      key,
      kind,
      eventType,
      propertyFilters: filters.length ? (filters as unknown as Prisma.InputJsonValue) : undefined,
      horizonDays: input.horizonDays,
      scoreRefreshHours: refresh,
    },
  });
  await writeAudit(ctx, { action: 'model_target.defined', targetType: 'ModelTarget', targetId: row.id, details: { key, kind, horizonDays: input.horizonDays } });
  return toRecord(row);
}

/** The target with this key in the caller's workspace, or NotFoundError. */
export async function getModelTarget(ctx: WorkspaceContext, key: string): Promise<ModelTargetRecord> {
  const row = await ctx.db.prisma.modelTarget.findUnique({ where: { workspaceId_key: { workspaceId: ctx.workspaceId, key } } });
  if (!row) throw new NotFoundError('model target', key);
  return toRecord(row);
}

export async function getModelTargetById(ctx: WorkspaceContext, id: number): Promise<ModelTargetRecord> {
  const row = await ctx.db.prisma.modelTarget.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!row) throw new NotFoundError('model target', id);
  return toRecord(row);
}

export function toRecord(row: {
  id: number; workspaceId: number; key: string; kind: ModelTargetKind; eventType: string | null; propertyFilters: unknown;
  horizonDays: number; activeModelId: number | null; scoreRefreshHours: number; lastScoredAt: Date | null;
}): ModelTargetRecord {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    key: row.key,
    kind: row.kind,
    eventType: row.eventType,
    propertyFilters: Array.isArray(row.propertyFilters) ? (row.propertyFilters as PropertyFilter[]) : [],
    horizonDays: row.horizonDays,
    activeModelId: row.activeModelId,
    scoreRefreshHours: row.scoreRefreshHours,
    lastScoredAt: row.lastScoredAt,
  };
}
