// The Pothos builder: plugins and scalars only. Types live in schema/<domain>/.
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type PrismaTypes from '../prisma/generated/pothos-types';
import { getDatamodel } from '../prisma/generated/pothos-types';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../core/errors';
import { scopeAllows } from '../core/workspaces/api-keys';
import type { GraphQLContext } from './context';
import { validationIssues } from './validation-issues';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: { read: boolean; write: boolean; admin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: File; Output: never };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin, ValidationPlugin, ComplexityPlugin],
  scopeAuth: {
    // Subscriptions are checked when they start, not only per event.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      read: !!ctx.auth && scopeAllows(ctx.auth.scope, 'READ'),
      write: !!ctx.auth && scopeAllows(ctx.auth.scope, 'WRITE'),
      admin: !!ctx.auth && scopeAllows(ctx.auth.scope, 'ADMIN'),
    }),
    unauthorizedError: (_parent, ctx, info) =>
      ctx.auth
        ? new ForbiddenError(`this API key (scope ${ctx.auth.scope}) may not use ${info.parentType.name}.${info.fieldName}`)
        : new UnauthenticatedError('send an API key: Authorization: Bearer <key>'),
  },
  prisma: {
    client: (ctx) => ctx.core.db.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
  validation: {
    validationError: (result) => new ValidationError('invalid arguments', validationIssues(result.issues)),
  },
  complexity: {
    defaultComplexity: 1,
    // Connections and limited lists set their own multiplier (first, limit); plain lists are small.
    defaultListMultiplier: 1,
    limit: (ctx) => ctx.limits,
    complexityError: (kind, result) => {
      const name = String(kind).toLowerCase() as 'depth' | 'breadth' | 'complexity';
      const max = { depth: result.maxDepth, breadth: result.maxBreadth, complexity: result.maxComplexity }[name];
      return new QueryTooComplexError(`query ${name} ${result[name]} exceeds the limit of ${max}`);
    },
  },
});

/** A query over the configured depth, breadth or complexity limit. */
export class QueryTooComplexError extends ValidationError {
  override readonly code = 'QUERY_TOO_COMPLEX' as 'BAD_USER_INPUT';
}

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);
builder.scalarType('File', {
  description: 'A file sent with a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec).',
  serialize: () => {
    throw new Error('File is an input-only scalar');
  },
});

builder.queryType({ authScopes: { read: true } });
builder.mutationType({ authScopes: { write: true } });
builder.subscriptionType({ authScopes: { read: true } });
