// Request ids: the caller's `x-request-id` (when it looks like an id) or a new UUID, echoed in
// the response, carried by the GraphQL context, by what core code logs through ctx.log and by
// the log line of an unexpected error (use-error-log.ts).
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

export function createRequestIds() {
  const ids = new WeakMap<Request, string>();
  const idOf = (request: Request | undefined): string => {
    if (!request) return randomUUID();
    let id = ids.get(request);
    if (!id) {
      const given = request.headers.get('x-request-id');
      id = given && ACCEPTABLE.test(given) ? given : randomUUID();
      ids.set(request, id);
    }
    return id;
  };
  const plugin: Plugin = {
    onRequest({ request }) {
      idOf(request);
    },
    onResponse({ request, response }) {
      response.headers.set('x-request-id', idOf(request));
    },
  };
  return { plugin, idOf };
}
