import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import type { Prisma } from '../../core/db/prisma-client';
import type { GraphQLContext } from '../context';

const EventFilterInput = builder.inputType('EventFilter', {
  fields: (t) => ({
    types: t.stringList(),
    contactId: t.id(),
    occurredAfter: t.field({ type: 'DateTime' }),
    occurredBefore: t.field({ type: 'DateTime' }),
    source: t.string(),
  }),
});

function eventWhere(ctx: GraphQLContext, f: typeof EventFilterInput.$inferInput | null | undefined): Prisma.EventWhereInput {
  const where: Prisma.EventWhereInput = { workspaceId: ws(ctx).workspaceId };
  if (f?.types?.length) where.type = { in: f.types };
  if (f?.contactId) where.contactId = numericId(String(f.contactId), 'Contact', ['filter', 'contactId']);
  if (f?.source) where.source = f.source;
  if (f?.occurredAfter || f?.occurredBefore) where.occurredAt = { gte: f.occurredAfter ?? undefined, lt: f.occurredBefore ?? undefined };
  return where;
}

builder.queryFields((t) => ({
  events: t.prismaConnection({
    type: 'Event',
    cursor: 'id',
    defaultSize: 50,
    maxSize: 500,
    description: 'Events of the workspace, newest first.',
    args: { filter: t.arg({ type: EventFilterInput }) },
    complexity: (args) => ({ field: 1, multiplier: args.first ?? args.last ?? 50 }),
    resolve: (query, _root, args, ctx) =>
      ctx.core.db.prisma.event.findMany({ ...query, where: eventWhere(ctx, args.filter), orderBy: { id: 'desc' } }),
  }),
}));
