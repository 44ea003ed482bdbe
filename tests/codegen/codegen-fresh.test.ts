// schema.graphql is the contract front-end developers build against, and the typed documents
// are what these tests compile against: both must match what codegen produces from the code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

test('schema.graphql and tests/generated/graphql.ts are what `npm run codegen` produces', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'codegen-'));
  const config = readFileSync(path.join(root, 'codegen.yml'), 'utf8')
    .replace(/^  schema\.graphql:/m, `  ${path.join(out, 'schema.graphql')}:`)
    .replace(/^  tests\/generated\/graphql\.ts:/m, `  ${path.join(out, 'graphql.ts')}:`);
  const configPath = path.join(out, 'codegen.yml');
  writeFileSync(configPath, config);
  const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(root, 'node_modules/.bin/graphql-codegen'), '--config', configPath], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.status).toBe(0);
  const pairs: [string, string][] = [
    ['schema.graphql', path.join(out, 'schema.graphql')],
    ['tests/generated/graphql.ts', path.join(out, 'graphql.ts')],
  ];
  const stale = pairs
    .filter(([committed, fresh]) => readFileSync(path.join(root, committed), 'utf8') !== readFileSync(fresh, 'utf8'))
    .map(([committed]) => `${committed} is stale: run \`npm run codegen\` and commit the result`);
  expect(stale).toEqual([]);
}, 180_000);
