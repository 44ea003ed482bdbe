// Which operations graphql-jit may execute (see use-compiled-execution.ts for why each rule):
// queries only; no output type backed by the Prisma plugin anywhere in the selection
// (abstract types count if any possible type is); no variable of a recursive input type.
// The verdict is computed once per operation node (documents come from yoga's parser cache).
import {
  getNamedType,
  isAbstractType,
  isInputObjectType,
  typeFromAST,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  BREAK,
  type DocumentNode,
  type GraphQLInputObjectType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

const isPrismaBacked = (t: GraphQLNamedType) => !!(t.extensions as { pothosPrismaModel?: unknown } | undefined)?.pothosPrismaModel;

function recursive(root: GraphQLInputObjectType): boolean {
  const visiting = new Set<GraphQLInputObjectType>();
  const walk = (t: GraphQLInputObjectType): boolean => {
    if (visiting.has(t)) return true;
    visiting.add(t);
    for (const f of Object.values(t.getFields())) {
      const named = getNamedType(f.type);
      if (isInputObjectType(named) && walk(named)) return true;
    }
    visiting.delete(t);
    return false;
  };
  return walk(root);
}

export function jitSafety() {
  const verdicts = new WeakMap<OperationDefinitionNode, boolean>();
  return (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): boolean => {
    let safe = verdicts.get(operation);
    if (safe === undefined) verdicts.set(operation, (safe = judge(schema, document, operation)));
    return safe;
  };
}

function judge(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query') return false;
  for (const def of operation.variableDefinitions ?? []) {
    const named = getNamedType(typeFromAST(schema, def.type as never));
    if (named && isInputObjectType(named) && recursive(named)) return false;
  }
  let safe = true;
  const typeInfo = new TypeInfo(schema);
  // The whole document: fragments this operation spreads are checked with it (others too, harmlessly).
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        const named = type ? getNamedType(type) : undefined;
        if (!named) return;
        const backed = isAbstractType(named) ? schema.getPossibleTypes(named).some(isPrismaBacked) : isPrismaBacked(named);
        if (backed) {
          safe = false;
          return BREAK;
        }
      },
    }),
  );
  return safe;
}
