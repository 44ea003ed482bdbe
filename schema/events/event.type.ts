import { builder } from '../builder';
import { ws } from '../context';

export const EventRef = builder.prismaNode('Event', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: BigInt(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    type: t.exposeString('type'),
    properties: t.field({ type: 'JSON', resolve: (e) => e.properties ?? {} }),
    value: t.float({ nullable: true, resolve: (e) => (e.value === null ? null : Number(e.value)) }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
    source: t.exposeString('source'),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    contact: t.relation('contact'),
  }),
});
