// The schema as deployed (built-in and configured plugins included), for graphql-codegen.
// Building it needs no database: Pothos reads the Prisma datamodel from generated types.
import { lexicographicSortSchema } from 'graphql';
import { buildSchema } from '../../schema';
import { PluginHost } from '../../plugins/sdk/plugin-host';
import personae from '../../personae.config';

export function deployedSchema() {
  const host = new PluginHost(personae.plugins);
  return lexicographicSortSchema(buildSchema((b) => host.extendSchema(b)));
}

export const schema = deployedSchema();
export default schema;
