// `npm run db:migrate`: find (or start) the database and apply pending migrations.
import { resolveDatabase } from './db/local-database';
import { migrate } from './db/migration-runner';
import { redact } from '../core/db/database-url';

async function main(): Promise<void> {
  const databaseName = process.env.PERSONAE_DB_NAME ?? 'personae';
  const db = await resolveDatabase({ databaseName, log: (l) => console.log(l) });
  console.log(`database: ${redact(db.url)} (${db.source})`);
  const result = await migrate(db.url, { log: (l) => console.log(l) });
  console.log(
    result.applied.length
      ? `${result.applied.length} migration(s) applied, ${result.alreadyApplied} already applied`
      : `up to date (${result.alreadyApplied} migration(s) already applied)`,
  );
}

main().catch((err: Error) => {
  console.error(`db:migrate failed: ${err.message}`);
  process.exit(1);
});
