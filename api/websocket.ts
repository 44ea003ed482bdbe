// GraphQL over WebSocket (graphql-ws) on the HTTP server's /graphql path. Operations run
// through yoga's envelop (getEnveloped), so they get the same plugins, context and errors.
// The API key comes in connection_init: { "authorization": "Bearer <key>" }.
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { ExecutionArgs } from 'graphql';
import { AppError } from '../core/errors';
import type { AuthenticatedKey } from '../core/workspaces/api-keys';
import type { ApiKeyAuthenticator } from './auth/authenticate';
import type { PersonaeYoga } from './yoga';
import type { RawNextSink } from './yoga-plugins/use-shared-subscription-results';
import { FanoutWriter } from './fanout-writer';

type Extra = {
  auth?: AuthenticatedKey | null;
};

type EnvelopedRoot = { execute: (a: ExecutionArgs) => unknown; subscribe: (a: ExecutionArgs) => unknown };

export function attachWebSocket(server: Server, yoga: PersonaeYoga, authenticator: ApiKeyAuthenticator) {
  // No permessage-deflate (ws's default, stated because websocket-text-frame.ts relies on it):
  // live figures are small, and compressing each copy of a fan-out costs more than it saves.
  const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false });
  const fanout = new FanoutWriter();
  const disposable = useServer<Record<string, unknown>, Extra>(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onConnect: async (ctx) => {
        const p = ctx.connectionParams ?? {};
        const header =
          (typeof p.authorization === 'string' && p.authorization) ||
          (typeof p.Authorization === 'string' && p.Authorization) ||
          (typeof p.apiKey === 'string' && `Bearer ${p.apiKey}`) ||
          ctx.extra.request.headers.authorization;
        try {
          ctx.extra.auth = await authenticator.authenticate(header || null);
          return true;
        } catch (err) {
          if (err instanceof AppError) return false; // closes with 4403 Forbidden
          throw err;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const socket = ctx.extra.socket;
        // graphql-transport-ws's `next` message around a payload serialised once for many
        // subscribers (use-shared-subscription-results.ts), queued for the fan-out's sliced
        // writes (fanout-writer.ts), each written as one frame in one write (websocket-text-frame.ts).
        const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
        const rawNext: RawNextSink = fanout.sink(socket, (payloadJson) => `${prefix}${payloadJson}}`);
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket,
          params: payload,
          wsAuth: ctx.extra.auth ?? null,
          rawNext,
        });
        const document = parse(payload.query);
        const errors = validate(schema, document);
        if (errors.length) return errors;
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables ?? undefined,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
  );
  return {
    wss,
    /** Closes every socket (1001 Going Away) and completes their subscriptions. */
    async dispose() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
