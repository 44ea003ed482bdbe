// The direct path of shared subscription results on WebSocket (use-shared-subscription-results.ts):
// a result many subscribers share is serialised once and written to each socket as it is,
// instead of travelling through every subscriber's envelop and graphql-ws layers.
import type { ExecutionResult } from 'graphql';
import { LATEST_ONLY } from '../../schema/analytics/latest-value-stream';
import type { QueuedSink } from '../fanout-writer';

export type MaybeAsyncResult = Promise<ExecutionResult> | ExecutionResult;

/**
 * Writes `next` messages whose payload is already JSON (websocket.ts, api/fanout-writer.ts).
 * A transport that offers one lets shared results skip every per-subscriber layer between the
 * event and the socket (see directStream).
 */
export type RawNextSink = QueuedSink;

/** One event's result for a group of subscribers, and its JSON once a raw sink has needed it. */
export interface SharedResult {
  result: MaybeAsyncResult;
  json?: string;
}

/**
 * The subscription's results for a transport with a raw sink: a shared result without errors
 * goes straight to the socket, serialised once for the whole group; anything else (errors,
 * which yoga masks on the way out) is yielded as usual. Nothing is yielded per event on the
 * direct path, so graphql-ws and envelop do no work for it. Why: for 1,000 subscribers those
 * per-subscriber layers (envelop's iterator wrappers, graphql-ws copying, validating and
 * stringifying each message) cost more than the socket writes themselves — bench/live/
 * fanout-profile.ts, figures in docs/benchmarks.md. A source that keeps only its newest value
 * (marked LATEST_ONLY) has its waiting message replaced by a newer one; any other source's
 * message is written before its next event is pulled (api/fanout-writer.ts).
 */
export function directStream(
  source: AsyncIterator<unknown>,
  resultOf: (event: unknown) => SharedResult,
  sink: RawNextSink,
  onError: (err: Error) => never,
): AsyncIterableIterator<ExecutionResult> {
  const latestOnly = (source as Partial<Record<typeof LATEST_ONLY, boolean>>)[LATEST_ONLY] === true;
  let ended = false;
  const end = async () => {
    ended = true;
    sink.drop();
    await source.return?.();
  };
  return {
    async next() {
      while (!ended) {
        let step: IteratorResult<unknown>;
        try {
          step = await source.next();
        } catch (err) {
          ended = true;
          onError(err as Error);
        }
        if (step.done) {
          // graphql-ws sends `complete` next: the last message goes out before it.
          await sink.settled();
          break;
        }
        const shared = resultOf(step.value);
        const result = await shared.result;
        if (ended) break;
        if (result.errors?.length) {
          // Goes out through graphql-ws, at once: a stale message still waiting would follow it.
          sink.drop();
          return { value: result, done: false };
        }
        await sink.next((shared.json ??= JSON.stringify(result)), latestOnly);
      }
      ended = true;
      return { value: undefined, done: true };
    },
    async return() {
      await end();
      return { value: undefined, done: true };
    },
    async throw(err: unknown) {
      await end();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
