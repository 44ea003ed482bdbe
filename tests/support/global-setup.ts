// Finds (or starts) the test database the same way `npm start` does, and migrates it.
// Tests share one database; each test isolates itself in a fresh workspace.
import { resolveDatabase } from '../../scripts/db/local-database';
import { migrate } from '../../scripts/db/migration-runner';

export default async function globalSetup(): Promise<void> {
  const db = await resolveDatabase({ databaseName: process.env.PERSONAE_TEST_DB_NAME ?? 'personae_test' });
  await migrate(db.url);
  // Read by tests/support/test-app.ts in the worker processes jest starts after this.
  process.env.PERSONAE_TEST_DATABASE_URL = db.url;
}
