#!/usr/bin/env node
// A Prisma generator that writes the parsed datamodel (fields with native types, indexes)
// to JSON. tests/migrations/schema-match.test.ts compares it with the migrated database,
// because the schema engine that would normally diff them cannot run offline.
const fs = require('node:fs');
const path = require('node:path');
const { generatorHandler } = require('@prisma/generator-helper');

generatorHandler({
  onManifest: () => ({ defaultOutput: './dmmf.json', prettyName: 'Datamodel dump' }),
  onGenerate: async (options) => {
    const out = options.generator.output.value;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(options.dmmf.datamodel, null, 1));
  },
});
