// The README's GraphQL examples are what a newcomer pastes first: each must be a valid
// operation against the committed schema (fields, arguments, input shapes), so a renamed field
// fails here instead of in someone's GraphiQL. Placeholders like "<campaign id>" stand for ids.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';

const root = path.resolve(__dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const schema = buildSchema(readFileSync(path.join(root, 'schema.graphql'), 'utf8'));

/** ```graphql blocks, and inline `query|mutation|subscription { … }` spans. */
function examples(): string[] {
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  const inline = [...readme.matchAll(/`((?:query|mutation|subscription)\b[^`]*\{[^`]*\})`/g)].map((m) => m[1]);
  return [...blocks, ...inline];
}

test('the README has GraphQL examples', () => {
  expect(examples().length).toBeGreaterThanOrEqual(8);
});

test.each(examples().map((doc, i) => [i + 1, doc]))('README example %i is valid against schema.graphql', (_n, doc) => {
  const errors = validate(schema, parse((doc as string).replace(/<[a-z ]+ id>/g, 'SWQ6MQ==')));
  expect(errors.map((e) => e.message)).toEqual([]);
});
