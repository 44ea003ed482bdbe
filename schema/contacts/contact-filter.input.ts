import { builder } from '../builder';
import { ConsentStatusEnum, SortDirection } from '../common/enums';
import type { Prisma } from '../../core/db/prisma-client';

export const AttributeOperatorEnum = builder.enumType('AttributeOperator', {
  values: ['EQ', 'NEQ', 'GT', 'GTE', 'LT', 'LTE', 'IN', 'CONTAINS', 'EXISTS', 'NOT_EXISTS'] as const,
});

export const AttributeConditionInput = builder.inputType('AttributeCondition', {
  description: 'A condition on a custom attribute; the operator must suit the attribute type.',
  fields: (t) => ({
    key: t.string({ required: true }),
    op: t.field({ type: AttributeOperatorEnum, required: true }),
    value: t.field({ type: 'JSON', description: 'A value of the attribute type; a list for IN; omitted for EXISTS/NOT_EXISTS.' }),
  }),
});

export const ContactFilterInput = builder.inputType('ContactFilter', {
  fields: (t) => ({
    search: t.string({ description: 'Substring of the email, first or last name, or external id.' }),
    consentStatus: t.field({ type: [ConsentStatusEnum] }),
    attributes: t.field({ type: [AttributeConditionInput], description: 'All conditions must hold.' }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    lastSeenAfter: t.field({ type: 'DateTime' }),
    lastSeenBefore: t.field({ type: 'DateTime' }),
    hasEmail: t.boolean(),
  }),
});

export const ContactSortField = builder.enumType('ContactSortField', {
  values: ['CREATED_AT', 'UPDATED_AT', 'EMAIL', 'LAST_NAME', 'LAST_SEEN_AT'] as const,
});

export const ContactOrderInput = builder.inputType('ContactOrder', {
  fields: (t) => ({
    field: t.field({ type: ContactSortField, required: true }),
    direction: t.field({ type: SortDirection, required: true, defaultValue: 'ASC' }),
  }),
});

const COLUMN = { CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt', EMAIL: 'emailNormalized', LAST_NAME: 'lastName', LAST_SEEN_AT: 'lastSeenAt' } as const;

/** Prisma orderBy for a contact order, with the id as tie-breaker so cursors are stable. */
export function contactOrderBy(order: { field: keyof typeof COLUMN; direction: 'ASC' | 'DESC' } | null | undefined): Prisma.ContactOrderByWithRelationInput[] {
  const dir = order?.direction === 'DESC' ? 'desc' : 'asc';
  if (!order) return [{ id: 'asc' }];
  return [{ [COLUMN[order.field]]: dir }, { id: dir }];
}
