import type { WorkspaceContext } from '../context';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { writeAudit } from '../audit/audit-log';
import type { Prisma } from '../db/prisma-client';

export type AttributeType = 'STRING' | 'NUMBER' | 'BOOLEAN' | 'DATE' | 'ENUM';

export interface AttributeDefinitionInput {
  key: string;
  label?: string;
  type: AttributeType;
  enumValues?: string[] | null;
  description?: string | null;
}

const KEY_RE = /^[a-z][a-z0-9_]{0,63}$/;

/** Defines a custom contact attribute; its values are checked against the type on every write. */
export async function defineAttribute(ctx: WorkspaceContext, input: AttributeDefinitionInput) {
  if (!KEY_RE.test(input.key)) throw ValidationError.at(['key'], 'use lowercase snake_case: a letter, then letters, digits or _ (max 64)');
  const enumValues = checkEnumValues(input.type, input.enumValues);
  const exists = await ctx.db.prisma.attributeDefinition.findUnique({ where: { workspaceId_key: { workspaceId: ctx.workspaceId, key: input.key } } });
  if (exists) throw new ConflictError(`attribute "${input.key}" is already defined`, [{ path: ['key'], message: 'already defined' }]);
  const def = await ctx.db.prisma.attributeDefinition.create({
    data: {
      workspaceId: ctx.workspaceId,
      key: input.key,
      label: (input.label ?? input.key).slice(0, 120),
      type: input.type,
      enumValues: (enumValues ?? undefined) as Prisma.InputJsonValue | undefined,
      description: input.description ?? null,
    },
  });
  await writeAudit(ctx, { action: 'attribute.defined', targetType: 'AttributeDefinition', targetId: def.id, details: { key: def.key, type: def.type } });
  return def;
}

/** Changes label, description or the allowed enum values (the type is fixed once defined). */
export async function updateAttribute(ctx: WorkspaceContext, id: number, input: { label?: string; description?: string | null; enumValues?: string[] }) {
  const def = await ctx.db.prisma.attributeDefinition.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!def) throw new NotFoundError('attribute definition', id);
  const enumValues = input.enumValues === undefined ? undefined : checkEnumValues(def.type, input.enumValues);
  return ctx.db.prisma.attributeDefinition.update({
    where: { id },
    data: {
      label: input.label?.slice(0, 120),
      description: input.description,
      enumValues: enumValues === undefined ? undefined : (enumValues as Prisma.InputJsonValue),
    },
  });
}

export async function listAttributeDefinitions(ctx: WorkspaceContext) {
  return ctx.db.prisma.attributeDefinition.findMany({ where: { workspaceId: ctx.workspaceId }, orderBy: { key: 'asc' } });
}

export interface AttributeDef {
  key: string;
  type: AttributeType;
  enumValues: string[] | null;
}

/** The workspace's definitions keyed by attribute key (one query; callers reuse it for a batch). */
export async function loadAttributeDefs(ctx: WorkspaceContext): Promise<Map<string, AttributeDef>> {
  const rows = await ctx.db.prisma.attributeDefinition.findMany({ where: { workspaceId: ctx.workspaceId }, select: { key: true, type: true, enumValues: true } });
  return new Map(rows.map((r) => [r.key, { key: r.key, type: r.type, enumValues: (r.enumValues as string[] | null) ?? null }]));
}

function checkEnumValues(type: AttributeType, values: string[] | null | undefined): string[] | null {
  if (type !== 'ENUM') {
    if (values?.length) throw ValidationError.at(['enumValues'], 'only ENUM attributes take enumValues');
    return null;
  }
  if (!values?.length) throw ValidationError.at(['enumValues'], 'an ENUM attribute needs at least one value');
  const bad = values.findIndex((v) => typeof v !== 'string' || !v.trim() || v.length > 100);
  if (bad >= 0) throw ValidationError.at(['enumValues', bad], 'must be a non-empty string of at most 100 characters');
  if (new Set(values).size !== values.length) throw ValidationError.at(['enumValues'], 'values must be distinct');
  return values;
}
