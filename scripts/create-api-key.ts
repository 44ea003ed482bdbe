// `npm run keys:create -- --name "ops" [--scope ADMIN|WRITE|READ] [--workspace <slug>]`
// Creates an API key for a workspace (the first one by default) and prints it once.
// For operators who lost the demo key or need a key on a fresh deployment.
import { parseArgs } from 'node:util';
import { createInitialApiKey, type Scope } from '../core/workspaces/api-keys';
import { createWorkspace } from '../core/workspaces/workspaces';
import { openOperatorCore } from './operator-core';

async function main() {
  const { values } = parseArgs({
    options: {
      name: { type: 'string', default: 'operator key' },
      scope: { type: 'string', default: 'ADMIN' },
      workspace: { type: 'string' },
      'create-workspace': { type: 'string' },
    },
  });
  const scope = values.scope!.toUpperCase() as Scope;
  if (!['READ', 'WRITE', 'ADMIN'].includes(scope)) throw new Error('--scope must be READ, WRITE or ADMIN');
  const { core, close } = await openOperatorCore();
  try {
    const ws = values['create-workspace']
      ? await createWorkspace(core, { name: values['create-workspace'] })
      : await core.db.prisma.workspace.findFirst({ where: values.workspace ? { slug: values.workspace } : {}, orderBy: { id: 'asc' } });
    if (!ws) throw new Error(values.workspace ? `no workspace with slug "${values.workspace}"` : 'no workspace yet: pass --create-workspace "<name>"');
    const { secret, apiKey } = await createInitialApiKey(core, ws.id, values.name!, scope);
    console.log(`workspace: ${ws.name} (${ws.slug})\nkey ${apiKey.prefix} (${scope}), shown once:\n  ${secret}`);
  } finally {
    await close();
  }
}

main().catch((err: Error) => {
  console.error(`keys:create failed: ${err.message}`);
  process.exit(1);
});
