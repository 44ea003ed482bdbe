// Messages (one per recipient) and their events, reachable from a campaign and a contact.
import { builder } from '../builder';
import { ws } from '../context';
import '../contacts/contact.type';

export const MessageStatusEnum = builder.enumType('MessageStatus', {
  values: {
    QUEUED: { description: 'Waiting for its send time.' },
    HELD: { description: 'A/B remainder waiting for the winner.' },
    SENDING: { description: 'Claimed by a worker.' },
    DISPATCHING: { description: 'Being handed to the provider.' },
    SENT: { description: 'Accepted by the provider.' },
    DELIVERED: { description: 'The provider reported delivery (or the recipient engaged).' },
    BOUNCED: {},
    DROPPED: { description: 'The provider dropped it (e.g. its own suppression list).' },
    FAILED: { description: 'Refused for good by the provider, or retries exhausted; see error.' },
    SKIPPED: { description: 'Not sent on purpose; see skipReason (frequency cap, suppression, consent).' },
    CANCELLED: {},
    UNCERTAIN: { description: 'A worker died while the provider call was in flight: it may or may not have gone out (never re-sent).' },
  },
});

export const MessageEventTypeEnum = builder.enumType('MessageEventType', {
  values: ['delivered', 'bounce', 'dropped', 'deferred', 'open', 'click', 'spamreport', 'unsubscribe', 'conversion'] as const,
});

builder.prismaObject('MessageEvent', {
  fields: (t) => ({
    type: t.expose('type', { type: MessageEventTypeEnum }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    source: t.exposeString('source', { description: 'pixel, redirect, unsubscribe:…, webhook:<provider>, attribution.' }),
    machine: t.exposeBoolean('machine', { description: 'Machine-generated (Apple Mail Privacy Protection prefetch, link scanners).' }),
    url: t.exposeString('url', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    bounceClass: t.exposeString('bounceClass', { nullable: true }),
    value: t.float({ nullable: true, resolve: (e) => (e.value === null ? null : Number(e.value)) }),
  }),
});

export const MessageRef = builder.prismaNode('Message', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: BigInt(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    email: t.exposeString('email'),
    status: t.expose('status', { type: MessageStatusEnum }),
    skipReason: t.exposeString('skipReason', { nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    attempts: t.exposeInt('attempts'),
    sendAt: t.expose('sendAt', { type: 'DateTime' }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    openedAt: t.expose('openedAt', { type: 'DateTime', nullable: true }),
    clickedAt: t.expose('clickedAt', { type: 'DateTime', nullable: true }),
    convertedAt: t.expose('convertedAt', { type: 'DateTime', nullable: true }),
    revenue: t.float({ nullable: true, resolve: (m) => (m.revenue === null ? null : Number(m.revenue)) }),
    providerMessageId: t.exposeString('providerMessageId', { nullable: true }),
    variantId: t.int({ nullable: true, resolve: (m) => m.variantId }),
    contact: t.relation('contact'),
    campaign: t.relation('campaign'),
    events: t.relation('events', { query: { orderBy: { id: 'asc' } } }),
  }),
});

builder.prismaObjectField('Campaign', 'messages', (t) =>
  t.relatedConnection('messages', {
    cursor: 'id',
    maxSize: 200,
    args: { status: t.arg({ type: [MessageStatusEnum] }) },
    query: (args) => ({ where: args.status?.length ? { status: { in: args.status } } : {}, orderBy: { id: 'asc' } }),
  }),
);

builder.prismaObjectField('Contact', 'messages', (t) =>
  t.relatedConnection('messages', { cursor: 'id', maxSize: 100, description: 'Campaign messages to this contact, newest first.', query: () => ({ orderBy: { id: 'desc' } }) }),
);
