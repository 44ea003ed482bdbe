// Compiled execution (graphql-jit through @envelop/graphql-jit) for the queries it is safe for.
// graphql-js interprets the document on every request: for a dashboard page of ~700 fields
// that walk, not our resolvers, was half of the CPU. graphql-jit compiles a document once
// (cached per parsed document; yoga's parser cache hands back the same DocumentNode for the
// same text) into a function calling the same schema resolvers, so Pothos' wrappers
// (scope-auth, complexity, dataloader, validation) run as before.
//
// Not every document is compiled (jit-safety.ts says which): mutations and subscriptions
// stay on graphql-js (rare, or shared per event), and so do queries that select Prisma-plugin
// types (the plugin finds what a parent query preloaded by the identity of graphql-js' path
// objects, which graphql-jit does not keep: it would fall back to extra statements) or take
// recursive input types (graphql-jit's variable compiler recurses without end on them).
// Variables are checked first with yoga's executor's own coercion: invalid ones are left to that
// executor, so errors read exactly as without compilation (tests/server/compiled-execution.test.ts).
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getVariableValues } from '@graphql-tools/executor';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { jitSafety } from './jit-safety';

function operationOf(args: { document: { definitions: readonly { kind: string }[] }; operationName?: string | null }): OperationDefinitionNode | undefined {
  const ops = args.document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return args.operationName ? ops.find((o) => o.name?.value === args.operationName) : ops.length === 1 ? ops[0] : undefined;
}

/** Executes safe queries through graphql-jit; `onCompileError` hears of documents it cannot compile (their errors are the result). */
export function useCompiledExecution(onCompileError: (errors: unknown) => void): Plugin {
  const jit = useGraphQlJit({}, { onError: onCompileError }) as Plugin;
  const safe = jitSafety();
  return {
    onExecute(payload) {
      const { args } = payload;
      const operation = operationOf(args);
      if (!operation || !safe(args.schema, args.document, operation)) return;
      // Variables graphql-jit would reject: leave them to yoga's executor, whose errors clients know.
      if (operation.variableDefinitions?.length && getVariableValues(args.schema, operation.variableDefinitions, args.variableValues ?? {}, { maxErrors: 50 }).errors) return;
      return jit.onExecute!(payload);
    },
  };
}
