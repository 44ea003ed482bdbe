import type { AuthenticatedKey } from '../../core/workspaces/api-keys';

/**
 * What a result may depend on about its caller: resolvers read the workspace and the key's
 * scope (scope-auth) from the context, nothing else of the key. Callers equal in both may share
 * a result (a subscription event's execution, a cached analytics response); no one else may.
 */
export const keyScope = (key: Pick<AuthenticatedKey, 'workspaceId' | 'scope'>): string => `${key.workspaceId}:${key.scope}`;
