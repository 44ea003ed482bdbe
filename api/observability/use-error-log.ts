// Unexpected errors in resolvers, logged with the id of the request that hit them.
// yoga's maskError (api/yoga.ts), which turns them into INTERNAL_SERVER_ERROR, is given the
// error alone; this plugin also sees the operation's context, and runs first (yoga adds its
// masking plugin after ours). Errors it logged are marked so that maskError does not log them
// again; maskError still logs the rest (errors outside execution), without an id.
import { GraphQLError } from 'graphql';
import { useErrorHandler, type Plugin } from 'graphql-yoga';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';

/** An error of ours, not the client's: thrown while resolving a field, and not an AppError. */
export function isUnexpected(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return !(error instanceof AppError);
  return !!error.originalError && !!error.path && !(error.originalError instanceof AppError);
}

export function createErrorLog(log: Logger) {
  const logged = new WeakSet<object>();
  const plugin: Plugin = useErrorHandler(({ errors, context, phase }) => {
    if (phase !== 'execution') return;
    // In the execution phase `context` is the execution's arguments.
    const requestId = (context as { contextValue?: { requestId?: string } }).contextValue?.requestId;
    for (const error of errors) {
      if (!isUnexpected(error)) continue;
      const original = (error as GraphQLError).originalError ?? error;
      log.error({ err: original, requestId, path: (error as GraphQLError).path?.join('.') }, 'unexpected error in a resolver');
      logged.add(original);
    }
  });
  return {
    plugin,
    /** For maskError: log what this plugin has not. */
    logIfMissed(original: unknown): void {
      if (typeof original === 'object' && original !== null && logged.has(original)) return;
      log.error({ err: original }, 'unexpected error in a resolver');
    },
  };
}
