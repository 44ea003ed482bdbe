// GraphQL for the outbox: read back what the outbox provider "sent".
import type { SchemaBuilder } from '../../schema';
import type { GraphQLContext } from '../../schema/context';

function workspaceIdOf(ctx: GraphQLContext): number {
  // Every field here requires the read scope, so an authenticated workspace is present.
  return ctx.workspace!.workspaceId;
}

export function extendSchemaWithOutbox(builder: SchemaBuilder): void {
  const AddressRef = builder.objectRef<{ email: string; name: string | null }>('OutboxAddress').implement({
    fields: (t) => ({
      email: t.exposeString('email'),
      name: t.exposeString('name', { nullable: true }),
    }),
  });

  builder.prismaNode('OutboxMessage', {
    id: { field: 'id' },
    description: 'A message the outbox provider kept instead of sending.',
    findUnique: (id, ctx) => ({ id: BigInt(id), workspaceId: workspaceIdOf(ctx) }),
    nullable: true,
    authScopes: { read: true },
    fields: (t) => ({
      messageId: t.exposeString('messageId', { description: "The sender's message id (our messages.id for campaign sends)." }),
      to: t.field({ type: AddressRef, resolve: (m) => ({ email: m.toEmail, name: m.toName }) }),
      from: t.field({ type: AddressRef, resolve: (m) => ({ email: m.fromEmail, name: m.fromName }) }),
      replyTo: t.exposeString('replyTo', { nullable: true }),
      subject: t.exposeString('subject'),
      html: t.exposeString('html'),
      text: t.exposeString('text'),
      headers: t.field({ type: 'JSON', description: 'Extra headers, e.g. List-Unsubscribe.', resolve: (m) => m.headers ?? {} }),
      customArgs: t.field({ type: 'JSON', nullable: true, resolve: (m) => m.customArgs ?? null }),
      categories: t.stringList({ resolve: (m) => (Array.isArray(m.categories) ? (m.categories as string[]) : []) }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  builder.queryFields((t) => ({
    outboxMessages: t.prismaConnection({
      type: 'OutboxMessage',
      cursor: 'id',
      defaultSize: 20,
      maxSize: 200,
      authScopes: { read: true },
      description: 'Messages kept by the outbox provider, newest first.',
      args: {
        to: t.arg.string({ description: 'Only messages to this address (exact, case-insensitive).' }),
        messageId: t.arg.string({ description: "Only the message with this sender's message id." }),
      },
      complexity: (args) => ({ field: 1, multiplier: args.first ?? args.last ?? 20 }),
      resolve: (query, _root, args, ctx) =>
        ctx.core.db.prisma.outboxMessage.findMany({
          ...query,
          where: {
            workspaceId: workspaceIdOf(ctx),
            ...(args.to ? { toEmail: args.to.trim() } : {}),
            ...(args.messageId ? { messageId: args.messageId } : {}),
          },
          orderBy: { id: 'desc' },
        }),
    }),
  }));
}
