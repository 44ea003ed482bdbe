// Contact list filters: text search, consent, dates, and typed conditions on custom
// attributes. Each attribute operator is checked against the attribute's declared type.
import type { WorkspaceContext } from '../context';
import { ValidationError, type Issue, type IssuePath } from '../errors';
import { Prisma } from '../db/prisma-client';
import { loadAttributeDefs, type AttributeType } from '../attributes/attribute-definitions';
import { checkAttributes } from '../attributes/attribute-values';
import type { ConsentStatus } from './contact-input';

export type AttributeOperator = 'EQ' | 'NEQ' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'IN' | 'CONTAINS' | 'EXISTS' | 'NOT_EXISTS';

export interface AttributeCondition {
  key: string;
  op: AttributeOperator;
  value?: unknown;
}

export interface ContactFilter {
  /** Substring of email, first or last name, or external id. */
  search?: string | null;
  consentStatus?: ConsentStatus[] | null;
  attributes?: AttributeCondition[] | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  lastSeenAfter?: Date | null;
  lastSeenBefore?: Date | null;
  hasEmail?: boolean | null;
}

const OPS_BY_TYPE: Record<AttributeType, AttributeOperator[]> = {
  STRING: ['EQ', 'NEQ', 'IN', 'CONTAINS', 'EXISTS', 'NOT_EXISTS'],
  ENUM: ['EQ', 'NEQ', 'IN', 'EXISTS', 'NOT_EXISTS'],
  NUMBER: ['EQ', 'NEQ', 'GT', 'GTE', 'LT', 'LTE', 'IN', 'EXISTS', 'NOT_EXISTS'],
  DATE: ['EQ', 'NEQ', 'GT', 'GTE', 'LT', 'LTE', 'EXISTS', 'NOT_EXISTS'],
  BOOLEAN: ['EQ', 'NEQ', 'EXISTS', 'NOT_EXISTS'],
};

/** Turns a filter into a Prisma where clause scoped to the workspace; bad conditions name their path. */
export async function buildContactWhere(ctx: WorkspaceContext, filter: ContactFilter | null | undefined, path: IssuePath = ['filter']): Promise<Prisma.ContactWhereInput> {
  const and: Prisma.ContactWhereInput[] = [{ workspaceId: ctx.workspaceId }];
  if (!filter) return and[0];
  const search = filter.search?.trim();
  if (search) {
    if (search.length > 200) throw ValidationError.at([...path, 'search'], 'at most 200 characters');
    and.push({
      OR: [
        { emailNormalized: { contains: search.toLowerCase() } },
        { firstName: { contains: search } },
        { lastName: { contains: search } },
        { externalId: { contains: search } },
      ],
    });
  }
  if (filter.consentStatus?.length) and.push({ consentStatus: { in: filter.consentStatus } });
  if (filter.createdAfter) and.push({ createdAt: { gte: filter.createdAfter } });
  if (filter.createdBefore) and.push({ createdAt: { lt: filter.createdBefore } });
  if (filter.lastSeenAfter) and.push({ lastSeenAt: { gte: filter.lastSeenAfter } });
  if (filter.lastSeenBefore) and.push({ lastSeenAt: { lt: filter.lastSeenBefore } });
  if (filter.hasEmail != null) and.push(filter.hasEmail ? { emailNormalized: { not: null } } : { emailNormalized: null });

  if (filter.attributes?.length) {
    const defs = await loadAttributeDefs(ctx);
    const issues: Issue[] = [];
    filter.attributes.forEach((cond, i) => {
      const at: IssuePath = [...path, 'attributes', i];
      const def = defs.get(cond.key);
      if (!def) return issues.push({ path: [...at, 'key'], message: `no attribute "${cond.key}" is defined` });
      if (!OPS_BY_TYPE[def.type].includes(cond.op)) {
        return issues.push({ path: [...at, 'op'], message: `${cond.op} does not apply to ${def.type} attribute "${cond.key}" (use ${OPS_BY_TYPE[def.type].join(', ')})` });
      }
      const jsonPath = `$.${cond.key}`;
      if (cond.op === 'EXISTS' || cond.op === 'NOT_EXISTS') {
        // The AnyNull sentinel (not the string 'AnyNull') means "JSON null or absent"; a NOT
        // around a JSON comparison would turn an absent key's NULL into "no match".
        return and.push({ attributes: cond.op === 'EXISTS' ? { path: jsonPath, not: Prisma.AnyNull } : { path: jsonPath, equals: Prisma.AnyNull } });
      }
      const values = cond.op === 'IN' ? cond.value : [cond.value];
      if (!Array.isArray(values) || !values.length) return issues.push({ path: [...at, 'value'], message: 'IN takes a non-empty list' });
      const coerced: unknown[] = [];
      for (const [j, v] of values.entries()) {
        const r = checkAttributes({ [cond.key]: v }, defs, [...at, 'value']);
        if (r.issues.length || r.value[cond.key] == null) {
          issues.push({ path: cond.op === 'IN' ? [...at, 'value', j] : [...at, 'value'], message: r.issues[0]?.message ?? 'a value is required' });
        } else coerced.push(r.value[cond.key]);
      }
      if (coerced.length !== values.length) return;
      const v = coerced[0] as string | number | boolean;
      const json = (f: Record<string, unknown>): Prisma.ContactWhereInput => ({ attributes: { path: jsonPath, ...f } as Prisma.ContactWhereInput['attributes'] });
      switch (cond.op) {
        case 'EQ': return and.push(json({ equals: v }));
        case 'NEQ': return and.push({ NOT: json({ equals: v }) });
        case 'GT': return and.push(json({ gt: v }));
        case 'GTE': return and.push(json({ gte: v }));
        case 'LT': return and.push(json({ lt: v }));
        case 'LTE': return and.push(json({ lte: v }));
        case 'CONTAINS': return and.push(json({ string_contains: String(v) }));
        case 'IN': return and.push({ OR: coerced.map((x) => json({ equals: x })) });
      }
    });
    if (issues.length) throw new ValidationError('invalid contact filter', issues);
  }
  return { AND: and };
}
