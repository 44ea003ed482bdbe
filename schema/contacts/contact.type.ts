import { builder } from '../builder';
import { ws } from '../context';
import { ConsentStatusEnum } from '../common/enums';

export const ConsentRef = builder
  .objectRef<{ status: 'UNKNOWN' | 'PENDING' | 'SUBSCRIBED' | 'UNSUBSCRIBED'; source: string | null; at: Date | null }>('Consent')
  .implement({
    description: 'Marketing consent: its status, where it came from and when it was given or withdrawn.',
    fields: (t) => ({
      status: t.expose('status', { type: ConsentStatusEnum }),
      source: t.exposeString('source', { nullable: true }),
      at: t.expose('at', { type: 'DateTime', nullable: true }),
    }),
  });

export const ContactRef = builder.prismaNode('Contact', {
  id: { field: 'id' },
  // Node lookups are scoped to the caller's workspace: another workspace's id reads as missing.
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    email: t.exposeString('email', { nullable: true }),
    externalId: t.exposeString('externalId', { nullable: true }),
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    locale: t.exposeString('locale', { nullable: true }),
    timezone: t.exposeString('timezone', { nullable: true, description: 'IANA time zone; the workspace zone applies when null.' }),
    attributes: t.field({
      type: 'JSON',
      description: 'Custom attributes, typed by the workspace attribute definitions.',
      resolve: (c) => c.attributes ?? {},
    }),
    attribute: t.field({
      type: 'JSON',
      nullable: true,
      args: { key: t.arg.string({ required: true }) },
      resolve: (c, { key }) => (c.attributes as Record<string, unknown> | null)?.[key] ?? null,
    }),
    consent: t.field({
      type: ConsentRef,
      resolve: (c) => ({ status: c.consentStatus, source: c.consentSource, at: c.consentAt }),
    }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime', nullable: true, description: 'Time of the most recent event.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});
