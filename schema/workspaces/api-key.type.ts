import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { ScopeEnum } from '../common/enums';
import { createApiKey, listApiKeys, revokeApiKey } from '../../core/workspaces/api-keys';

const ApiKeyRef = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  authScopes: { admin: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The visible start of the key, to tell keys apart.' }),
    scope: t.expose('scope', { type: ScopeEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Updated at most once a minute.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreatedApiKeyRef = builder
  .objectRef<{ apiKey: Awaited<ReturnType<typeof createApiKey>>['apiKey']; secret: string }>('CreatedApiKey')
  .implement({
    fields: (t) => ({
      apiKey: t.field({ type: ApiKeyRef, resolve: (r) => r.apiKey }),
      secret: t.exposeString('secret', { description: 'The key itself. Shown only here, once: store it now.' }),
    }),
  });

builder.queryFields((t) => ({
  apiKeys: t.field({
    type: [ApiKeyRef],
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => listApiKeys(ws(ctx)),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKeyRef,
    authScopes: { admin: true },
    args: {
      name: t.arg.string({ required: true }),
      scope: t.arg({ type: ScopeEnum, required: true }),
      expiresAt: t.arg({ type: 'DateTime' }),
    },
    resolve: (_root, args, ctx) => createApiKey(ws(ctx), { name: args.name, scope: args.scope, expiresAt: args.expiresAt }),
  }),
  revokeApiKey: t.field({
    type: ApiKeyRef,
    authScopes: { admin: true },
    description: 'Revokes a key; requests with it fail with UNAUTHENTICATED from then on.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => revokeApiKey(ws(ctx), numericId(String(id), 'ApiKey', ['id'])),
  }),
}));
