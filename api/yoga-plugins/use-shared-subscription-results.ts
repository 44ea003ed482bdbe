// One execution per event for every subscriber of the same operation in the same scope.
//
// A live dashboard has many subscribers of one campaign; each event used to be executed once
// per subscriber (1,000 executions for 1,000 sockets). Here each subscription still starts on
// its own — the subscription field's `subscribe` runs with the subscriber's own context, so
// scope checks (authorizeOnSubscribe), ownership of the ids (NOT_FOUND for another
// workspace's campaign) and the workspace filter of its event stream stay per subscriber —
// but the result of executing one event is shared by the subscribers that would compute the
// same thing: the same event object (the feed hands the same tick to every listener), the
// same document, operation name and variables, and the same `scope` (workspace + key scope,
// given by the caller). Why that is safe: executing a document on an event reads the context
// only through the workspace (every read filters by it) and the key's scope (scope-auth on
// nested fields); neither differs inside a group, so each member would get an identical
// result. Subscribers of different workspaces or scopes never share; events that are not
// the same object (most streams build one per subscriber) are never shared either.
//
// On WebSocket, a result without errors is serialised once per group and written to each
// socket directly (direct-subscription-stream.ts), past graphql-ws's and envelop's
// per-result layers: an envelop hook that maps each subscription result would not see it.
// None of ours does (use-metrics.ts counts a subscription's start and end only).
import { createSourceEventStream, execute, getOperationAST, print, GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import { directStream, type MaybeAsyncResult, type RawNextSink, type SharedResult } from './direct-subscription-stream';

const printed = new WeakMap<DocumentNode, string>();
function documentText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
}

// Errors raised before the stream starts without a path (variables) are the client's input,
// marked as yoga's own executor marks them.
function asInputErrors(result: ExecutionResult): ExecutionResult {
  for (const e of result.errors ?? []) {
    if (e instanceof GraphQLError && !e.path) {
      const ext = e.extensions as Record<string, unknown>;
      ext.code ??= 'BAD_USER_INPUT';
      ext.http ??= { status: 400 };
    }
  }
  return result;
}

/**
 * A shared result with its data as plain JSON values, for subscribers without a raw sink (SSE):
 * each of their responses serialises the result again, and what graphql-js builds — null-prototype
 * objects, DateTime values as Date instances — takes JSON.stringify's slow path: measured 15 µs
 * per message during a 1,000-socket fan-out, against ~2 µs for the same figures as plain values.
 * Converting once per shared result makes the 1,000 serialisations cheap; the bytes sent are
 * the same (JSON is what the data becomes on the wire anyway). Only results read a second time
 * are converted: most streams build an event per subscriber, and a result serialised once would
 * only pay for the conversion.
 */
function withPlainData(result: ExecutionResult): ExecutionResult {
  return result.data ? { ...result, data: JSON.parse(JSON.stringify(result.data)) } : result;
}

interface SharedEntry extends SharedResult {
  /** The result as plain JSON values, once a second subscriber without a raw sink reads it. */
  plain?: MaybeAsyncResult;
}

export type { RawNextSink };

/**
 * Shares per-event execution among subscribers whose `scopeOf(context)` is equal (null: never
 * share that subscriber). The scope must capture everything resolvers read from the context.
 * `rawSinkOf` gives the subscriber's raw sink where its transport has one.
 */
export function useSharedSubscriptionResults<C>(scopeOf: (context: C) => string | null, rawSinkOf: (context: C) => RawNextSink | null = () => null): Plugin {
  // event → group → its result (and its copies, made when first needed); entries go with the event object.
  const results = new WeakMap<object, Map<string, SharedEntry>>();
  // Events that are not objects cannot key the map: each subscriber executes its own.
  const entryOf = (args: ExecutionArgs, group: string, event: unknown): { entry: SharedEntry; first: boolean } => {
    if (typeof event !== 'object' || event === null) return { entry: { result: execute({ ...args, rootValue: event }) as MaybeAsyncResult }, first: true };
    let byGroup = results.get(event);
    if (!byGroup) results.set(event, (byGroup = new Map()));
    const entry = byGroup.get(group);
    if (entry) return { entry, first: false };
    const created: SharedEntry = { result: execute({ ...args, rootValue: event }) as MaybeAsyncResult };
    byGroup.set(group, created);
    return { entry: created, first: true };
  };
  const executeShared = (args: ExecutionArgs, group: string, event: unknown) => {
    const { entry, first } = entryOf(args, group, event);
    if (first) return entry.result;
    return (entry.plain ??= entry.result instanceof Promise ? entry.result.then(withPlainData) : withPlainData(entry.result));
  };
  const sharedForSink = (args: ExecutionArgs, group: string, event: unknown): SharedResult => entryOf(args, group, event).entry;
  return {
    onSubscribe({ args, setSubscribeFn }) {
      const scope = scopeOf(args.contextValue as C);
      if (scope === null) return;
      const sink = rawSinkOf(args.contextValue as C);
      // Computed once per subscription: the lookup per event reuses this string (and its hash).
      const group = [scope, args.operationName ?? '', JSON.stringify(args.variableValues ?? null), documentText(args.document)].join('\u0000');
      setSubscribeFn(async (subscription: ExecutionArgs) => {
        const stream = await createSourceEventStream(subscription);
        if (!isAsyncIterable(stream)) return asInputErrors(stream);
        const operation = getOperationAST(subscription.document, subscription.operationName);
        // A failing event stream, as yoga's executor reports it: located at the operation.
        const onError = (err: Error): never => {
          throw new GraphQLError(err.message, { originalError: err, nodes: operation ? [operation] : undefined });
        };
        if (sink) return directStream(stream[Symbol.asyncIterator](), (event) => sharedForSink(subscription, group, event), sink, onError);
        return mapAsyncIterator(stream, (event: unknown) => executeShared(subscription, group, event), onError);
      });
    },
  };
}
