// `npm start`: find (or start) the database, migrate it, load plugins, seed the demo
// workspace on an empty database, and serve GraphQL (HTTP, SSE, WebSocket) on one port.
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from '../core/logger';
import { redact } from '../core/db/database-url';
import { resolveDatabase, DatabaseUnavailableError } from '../scripts/db/local-database';
import { migrate } from '../scripts/db/migration-runner';
import { PluginBootError } from '../plugins/sdk/plugin-host';
import { seedDemoWorkspace } from '../prisma/seed/demo-seed';
import personae from '../personae.config';
import { createApp } from './app';
import { listen } from './server';
import { createWorkerLoops, stopAll } from './workers';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const log = createLogger({ level: config.LOG_LEVEL });
  const db = await resolveDatabase({ databaseName: config.PERSONAE_DB_NAME, log: (line) => log.info(line) });
  log.info({ database: redact(db.url), source: db.source }, 'database');
  const migrated = await migrate(db.url, { log: (line) => log.info(line) });
  if (migrated.applied.length) log.info({ applied: migrated.applied }, 'migrations applied');

  const app = await createApp({ config, databaseUrl: db.url, plugins: personae.plugins, log });
  let demo: Awaited<ReturnType<typeof seedDemoWorkspace>> | null = null;
  if (config.DEMO_SEED && (await app.core.db.prisma.workspace.count()) === 0) {
    log.info('empty database: seeding the demo workspace (ten seconds or so)');
    demo = await seedDemoWorkspace(app.core, { publicUrl: config.PUBLIC_URL });
  }
  const server = await listen(app, { host: config.HOST, port: config.PORT });
  const loops = config.WORKERS_IN_PROCESS ? createWorkerLoops(app.core) : [];
  loops.forEach((l) => l.start());

  const lines = [
    '',
    `  Personae is running.`,
    `  GraphiQL:   ${server.url}/graphql`,
    `  Health:     ${server.url}/healthz   Ready: ${server.url}/readyz`,
  ];
  if (demo) {
    lines.push(
      `  Demo workspace seeded: ${demo.contacts} contacts, ${demo.events} events, ${demo.personas} personas, ${demo.campaigns} sent campaigns.`,
      `  Admin API key (shown once, keep it):`,
      `    ${demo.adminKey}`,
      `  Try:  curl -s ${server.url}/graphql -H 'Authorization: Bearer ${demo.adminKey}' -H 'content-type: application/json' \\`,
      `          -d '{"query":"{ workspace { name } contacts(first: 3) { totalCount edges { node { email } } } }"}'`,
    );
  } else {
    lines.push('  Need a key? npm run keys:create -- --name "my key"   (creates an ADMIN key for the first workspace)');
  }
  console.log(lines.join('\n') + '\n');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) process.exit(1); // a second signal: stop now
    stopping = true;
    log.info({ signal }, 'shutting down');
    await server.close(config.SHUTDOWN_TIMEOUT_MS);
    await stopAll(loops);
    await app.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

function fail(message: string): never {
  console.error(`\nPersonae could not start.\n${message}\n`);
  process.exit(1);
}

main().catch((err: unknown) => {
  if (err instanceof PluginBootError || err instanceof DatabaseUnavailableError) fail(err.message);
  console.error(err);
  process.exit(1);
});
