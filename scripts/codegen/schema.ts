// The schema as deployed (built-in and configured plugins included), for graphql-codegen.
// Building it needs no database: Pothos reads the Prisma datamodel from generated types.
// It is round-tripped through SDL so codegen sees enum values as clients do (EMAIL, not the
// resolvers' internal 'email').
import { buildSchema as schemaFromSdl, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from '../../schema';
import { PluginHost } from '../../plugins/sdk/plugin-host';
import personae from '../../personae.config';

export function deployedSchema() {
  const host = new PluginHost(personae.plugins);
  return schemaFromSdl(printSchema(lexicographicSortSchema(buildSchema((b) => host.extendSchema(b)))));
}

export const schema = deployedSchema();
export default schema;
