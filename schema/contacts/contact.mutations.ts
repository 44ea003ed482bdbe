import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { createContact, deleteContact, updateContact } from '../../core/contacts/contacts.service';
import { MAX_UPSERT_BATCH, upsertContacts } from '../../core/contacts/contact-upsert';
import { ValidationError } from '../../core/errors';
import { ContactInputType, toContactInput } from './contact.inputs';
import { ContactRef } from './contact.type';
import { encodeGlobalID } from '@pothos/plugin-relay';

export const UpsertKeyEnum = builder.enumType('UpsertKey', {
  values: { EMAIL: { value: 'email' }, EXTERNAL_ID: { value: 'externalId' } } as const,
});

const UpsertContactsResult = builder
  .objectRef<{ created: number; updated: number; unchanged: number; ids: (number | undefined)[] }>('UpsertContactsResult')
  .implement({
    fields: (t) => ({
      created: t.exposeInt('created'),
      updated: t.exposeInt('updated'),
      unchanged: t.exposeInt('unchanged'),
      contactIds: t.idList({ description: 'The contact ID for each input row, in order.', resolve: (r) => r.ids.map((id) => encodeGlobalID('Contact', String(id))) }),
    }),
  });

builder.mutationFields((t) => ({
  createContact: t.prismaField({
    type: 'Contact',
    description: 'Creates a contact; it needs an email or an externalId, each unique in the workspace (CONFLICT otherwise).',
    args: { input: t.arg({ type: ContactInputType, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const c = await createContact(ws(ctx), toContactInput(input), ['input']);
      return ctx.core.db.prisma.contact.findUniqueOrThrow({ ...query, where: { id: c.id } });
    },
  }),
  updateContact: t.prismaField({
    type: 'Contact',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: ContactInputType, required: true }) },
    resolve: async (query, _root, { id, input }, ctx) => {
      const c = await updateContact(ws(ctx), numericId(String(id), 'Contact', ['id']), toContactInput(input), ['input']);
      return ctx.core.db.prisma.contact.findUniqueOrThrow({ ...query, where: { id: c.id } });
    },
  }),
  deleteContact: t.id({
    description: 'Deletes a contact with its events and memberships; returns its ID.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      await deleteContact(ws(ctx), numericId(String(id), 'Contact', ['id']));
      return id;
    },
  }),
  upsertContacts: t.field({
    type: UpsertContactsResult,
    description: `Creates or updates up to ${MAX_UPSERT_BATCH} contacts keyed by email or external id. One invalid row fails the call and nothing is written (every problem is listed in extensions.issues).`,
    args: {
      contacts: t.arg({ type: [ContactInputType], required: true }),
      key: t.arg({ type: UpsertKeyEnum, required: true, defaultValue: 'email' }),
    },
    complexity: (args) => 1 + Math.ceil((args.contacts?.length ?? 0) / 100),
    resolve: async (_root, args, ctx) => {
      if (args.contacts.length > MAX_UPSERT_BATCH) {
        throw ValidationError.at(['contacts'], `at most ${MAX_UPSERT_BATCH} contacts per call (got ${args.contacts.length}); split the batch`);
      }
      return upsertContacts(ws(ctx), {
        contacts: args.contacts.map(toContactInput),
        key: args.key,
        source: 'api',
        onInvalid: 'reject',
        path: ['contacts'],
      });
    },
  }),
}));

export { ContactRef };
