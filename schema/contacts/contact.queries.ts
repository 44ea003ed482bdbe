import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { buildContactWhere } from '../../core/contacts/contact-filter';
import { NotFoundError } from '../../core/errors';
import { ContactFilterInput, ContactOrderInput, contactOrderBy } from './contact-filter.input';

builder.queryFields((t) => ({
  contacts: t.prismaConnection(
    {
      type: 'Contact',
      cursor: 'id',
      defaultSize: 20,
      maxSize: 200,
      description: 'Contacts of the workspace, filtered and sorted.',
      args: {
        filter: t.arg({ type: ContactFilterInput }),
        orderBy: t.arg({ type: ContactOrderInput }),
      },
      complexity: (args) => ({ field: 1, multiplier: args.first ?? args.last ?? 20 }),
      totalCount: async (_conn, args, ctx) => ctx.core.db.prisma.contact.count({ where: await buildContactWhere(ws(ctx), args.filter) }),
      resolve: async (query, _parent, args, ctx) =>
        ctx.core.db.prisma.contact.findMany({
          ...query,
          where: await buildContactWhere(ws(ctx), args.filter),
          orderBy: contactOrderBy(args.orderBy),
        }),
    },
    { description: 'A page of contacts.' },
  ),
  contact: t.prismaField({
    type: 'Contact',
    description: 'One contact by ID. NOT_FOUND if it does not exist in this workspace.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const contactId = numericId(String(id), 'Contact', ['id']);
      const contact = await ctx.core.db.prisma.contact.findFirst({ ...query, where: { id: contactId, workspaceId: ws(ctx).workspaceId } });
      if (!contact) throw new NotFoundError('contact', String(id));
      return contact;
    },
  }),
  contactByEmail: t.prismaField({
    type: 'Contact',
    nullable: true,
    args: { email: t.arg.string({ required: true }) },
    resolve: (query, _root, { email }, ctx) =>
      ctx.core.db.prisma.contact.findFirst({ ...query, where: { workspaceId: ws(ctx).workspaceId, emailNormalized: email.trim().toLowerCase() } }),
  }),
}));
