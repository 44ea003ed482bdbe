// Runs `prisma generate` offline. The CLI wants a native schema engine binary it would
// otherwise download; generation does not use it, so a stub satisfies the check. Only set
// when the operator has not pointed PRISMA_SCHEMA_ENGINE_BINARY at a real engine.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, 'scripts', 'schema-engine-stub.sh');
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';

const cli = require.resolve('prisma/build/index.js', { paths: [root] });
const result = spawnSync(process.execPath, [cli, 'generate', '--no-hints'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
