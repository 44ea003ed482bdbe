// Unexpected resolver errors are logged once, with the request id of the operation, even though
// yoga's maskError (which hides them from the client) never sees the request.
import { Writable } from 'node:stream';
import pino from 'pino';
import { GraphQLError } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { createErrorLog, isUnexpected } from '../../api/observability/use-error-log';
import { NotFoundError } from '../../core/errors';

function yogaWithLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  const errorLog = createErrorLog(pino({ level: 'info' }, sink));
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { boom: String, refused: String, fine: String }',
      resolvers: {
        Query: {
          boom: () => { throw new TypeError('cannot read x of undefined'); },
          refused: () => { throw new NotFoundError('thing', 7); },
          fine: () => 'ok',
        },
      },
    }),
    context: ({ request }) => ({ requestId: request.headers.get('x-request-id') }),
    plugins: [errorLog.plugin],
    // As api/yoga.ts does: expected errors pass, unexpected ones are logged (if missed) and hidden.
    maskedErrors: {
      maskError(error, message) {
        if (!isUnexpected(error)) return error as Error;
        errorLog.logIfMissed((error as GraphQLError).originalError ?? error);
        return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      },
    },
    logging: false,
  });
  const post = (query: string) => yoga.fetch('http://x/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' }, body: JSON.stringify({ query }) });
  return { lines, post };
}

test('an unexpected error is logged once, at error level, with the request id and field path', async () => {
  const { lines, post } = yogaWithLog();
  const res = await (await post('{ fine boom }')).json();
  expect(res.data).toEqual({ fine: 'ok', boom: null });
  expect(res.errors[0].message).toBe('Unexpected error.');
  expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'unexpected error in a resolver', requestId: 'req-42', path: 'boom', err: expect.objectContaining({ type: 'TypeError', message: 'cannot read x of undefined' }) })]);
});

test('expected errors (AppError) are not logged as unexpected', async () => {
  const { lines, post } = yogaWithLog();
  await post('{ refused }');
  expect(lines).toEqual([]);
});
