// Persona CRUD and preview. A rule is checked in full before anything is written; a saved
// persona is refreshed at once so its membership is never empty by accident.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { ConflictError, FailedPreconditionError, NotFoundError, ValidationError, type Issue, type IssuePath } from '../errors';
import { writeAudit } from '../audit/audit-log';
import { isDuplicateKey } from '../db/sql-helpers';
import type { Prisma } from '../db/prisma-client';
import { checkRule } from './rule-check';
import { compileRule, membersQuery } from './rule-compile';
import { loadRuleEnv, referencedPersonas } from './rule-env';
import { refreshPersona, type RefreshResult } from './persona-refresh';
import './persona-events';

const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const MAX_PREVIEW_SAMPLE = 100;

export interface PersonaFields {
  slug?: string;
  name?: string;
  description?: string | null;
}

/** Checks slug, name and description; issues are collected under `path`. */
export function checkPersonaFields(f: PersonaFields, path: IssuePath, requireAll: boolean): Issue[] {
  const issues: Issue[] = [];
  if (f.slug !== undefined || requireAll) {
    if (typeof f.slug !== 'string' || !SLUG_RE.test(f.slug)) issues.push({ path: [...path, 'slug'], message: 'use 1–64 lowercase letters, digits and dashes, not starting or ending with a dash' });
  }
  if (f.name !== undefined || requireAll) {
    if (typeof f.name !== 'string' || !f.name.trim() || f.name.length > 120) issues.push({ path: [...path, 'name'], message: 'must be 1–120 characters' });
  }
  if (f.description != null && f.description.length > 500) issues.push({ path: [...path, 'description'], message: 'at most 500 characters' });
  return issues;
}

/** Finds a persona of the caller's workspace, or NOT_FOUND. */
export async function getPersona(ctx: WorkspaceContext, id: number) {
  const p = await ctx.db.prisma.persona.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!p) throw new NotFoundError('persona', id);
  return p;
}

/** Creates a rule persona and computes its membership. */
export async function createPersona(ctx: WorkspaceContext, input: PersonaFields & { rule: unknown }, path: IssuePath = ['input']) {
  const issues = checkPersonaFields(input, path, true);
  const env = await loadRuleEnv(ctx, input.slug);
  const checked = checkRule(input.rule, env, [...path, 'rule']);
  issues.push(...checked.issues);
  if (issues.length) throw new ValidationError('invalid persona; nothing was saved', issues);
  let persona;
  try {
    persona = await ctx.db.prisma.persona.create({
      data: { workspaceId: ctx.workspaceId, slug: input.slug!, name: input.name!.trim(), description: input.description ?? null, kind: 'RULE', definition: checked.rule as Prisma.InputJsonValue },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`a persona with slug "${input.slug}" already exists`, [{ path: [...path, 'slug'], message: 'already in use' }]);
    throw err;
  }
  await writeAudit(ctx, { action: 'persona.created', targetType: 'Persona', targetId: persona.id, details: { slug: persona.slug } });
  ctx.events.emit('persona.created', { workspaceId: ctx.workspaceId, personaId: persona.id });
  const refresh = await refreshPersona(ctx, persona.id);
  return { persona: await getPersona(ctx, persona.id), refresh };
}

/** Changes name, description or rule (a new rule is checked in full, then membership is refreshed). */
export async function updatePersona(ctx: WorkspaceContext, id: number, input: PersonaFields & { rule?: unknown }, path: IssuePath = ['input']) {
  const current = await getPersona(ctx, id);
  const issues = checkPersonaFields({ name: input.name, description: input.description }, path, false);
  let rule: unknown;
  if (input.rule != null) {
    if (current.kind !== 'RULE') issues.push({ path: [...path, 'rule'], message: 'a cluster persona has no rule; save a new cluster instead' });
    else {
      const checked = checkRule(input.rule, await loadRuleEnv(ctx, current.slug), [...path, 'rule']);
      issues.push(...checked.issues);
      rule = checked.rule;
    }
  }
  if (issues.length) throw new ValidationError('invalid persona; nothing was saved', issues);
  await ctx.db.prisma.persona.update({
    where: { id },
    data: { name: input.name?.trim(), description: input.description, definition: rule === undefined ? undefined : (rule as Prisma.InputJsonValue) },
  });
  await writeAudit(ctx, { action: 'persona.updated', targetType: 'Persona', targetId: id, details: { rule: rule !== undefined } });
  ctx.events.emit('persona.updated', { workspaceId: ctx.workspaceId, personaId: id });
  let refresh: RefreshResult | null = null;
  if (rule !== undefined) refresh = await refreshPersona(ctx, id);
  return { persona: await getPersona(ctx, id), refresh };
}

/** Deletes a persona with its membership and history; refused while another persona's rule uses it. */
export async function deletePersona(ctx: WorkspaceContext, id: number): Promise<number> {
  const persona = await getPersona(ctx, id);
  const others = await ctx.db.prisma.persona.findMany({ where: { workspaceId: ctx.workspaceId, NOT: { id } }, select: { slug: true, definition: true } });
  const users = others.filter((o) => referencedPersonas(o.definition).has(persona.slug)).map((o) => o.slug);
  if (users.length) throw new FailedPreconditionError(`persona "${persona.slug}" is used by ${users.map((u) => `"${u}"`).join(', ')}; change those rules first`);
  await ctx.db.prisma.persona.deleteMany({ where: { id, workspaceId: ctx.workspaceId } });
  await writeAudit(ctx, { action: 'persona.deleted', targetType: 'Persona', targetId: id, details: { slug: persona.slug } });
  ctx.events.emit('persona.deleted', { workspaceId: ctx.workspaceId, personaId: id });
  return id;
}

/** Counts the contacts a rule selects and returns a sample of their ids, without saving anything. */
export async function previewPersona(ctx: WorkspaceContext, args: { rule: unknown; sampleSize?: number; path?: IssuePath }): Promise<{ count: number; sampleContactIds: number[] }> {
  const sampleSize = args.sampleSize ?? 10;
  if (!Number.isInteger(sampleSize) || sampleSize < 0 || sampleSize > MAX_PREVIEW_SAMPLE) throw ValidationError.at(['sampleSize'], `must be from 0 to ${MAX_PREVIEW_SAMPLE}`);
  const env = await loadRuleEnv(ctx);
  const { rule, issues } = checkRule(args.rule, env, args.path ?? ['rule']);
  if (issues.length) throw new ValidationError('invalid rule', issues);
  const [select, params] = membersQuery(compileRule(rule, env, { workspaceId: ctx.workspaceId, now: ctx.now() }), ctx.workspaceId);
  // One statement: the window count is taken before LIMIT applies.
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT id, COUNT(*) OVER () AS total FROM (${select}) m ORDER BY id LIMIT ?`,
    [...params, Math.max(sampleSize, 1)],
  );
  return { count: rows.length ? Number(rows[0].total) : 0, sampleContactIds: rows.slice(0, sampleSize).map((r) => Number(r.id)) };
}

function isUniqueViolation(err: unknown): boolean {
  return isDuplicateKey(err) || (err as { code?: string })?.code === 'P2002';
}
