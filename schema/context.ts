import type { CoreContext, WorkspaceContext } from '../core/context';
import type { AuthenticatedKey } from '../core/workspaces/api-keys';
import { UnauthenticatedError } from '../core/errors';
import type { AppPubSub } from './pubsub';

/** Query limits applied per request (from configuration). */
export interface QueryLimits {
  complexity: number;
  depth: number;
  breadth: number;
}

/** The GraphQL context: one per HTTP request, WebSocket operation or SSE stream. */
export interface GraphQLContext {
  requestId: string;
  core: CoreContext;
  /** The API key that authenticated the request, or null. */
  auth: AuthenticatedKey | null;
  /** Core context bound to the key's workspace; null when unauthenticated. */
  workspace: WorkspaceContext | null;
  limits: QueryLimits;
  pubsub: AppPubSub;
}

/** The caller's workspace context; scope-auth guarantees it on every root field, this narrows the type. */
export function ws(ctx: GraphQLContext): WorkspaceContext {
  if (!ctx.workspace) throw new UnauthenticatedError('send an API key: Authorization: Bearer <key>');
  return ctx.workspace;
}
