// The core context an operator script runs with: the configured database (the embedded one
// when none is configured, as `npm start` does), a quiet logger, no pubsub. Closing it closes
// the database.
import { resolveDatabase } from './db/local-database';
import { openDatabase } from '../core/db/database';
import { createLogger } from '../core/logger';
import { DomainEventBus } from '../core/domain-event-bus';
import { createExtensions } from '../core/extensions/extensions';
import { SecretBox } from '../core/security/secret-box';
import type { CoreContext } from '../core/context';
import { loadConfig } from '../api/config';

export async function openOperatorCore(): Promise<{ core: CoreContext; close(): Promise<void> }> {
  const config = loadConfig();
  const db = await resolveDatabase({ databaseName: config.PERSONAE_DB_NAME });
  const database = openDatabase(db.url);
  const log = createLogger({ level: 'warn' });
  const core = { db: database, events: new DomainEventBus(log), extensions: createExtensions(), secrets: new SecretBox(config.PERSONAE_SECRET_KEY), log, now: () => new Date() };
  return { core, close: () => database.close() };
}
