// A core context on a benchmark database (personae_bench unless named) with the tfjs models registered.
import { resolveDatabase } from '../../scripts/db/local-database';
import { migrate } from '../../scripts/db/migration-runner';
import { openDatabase } from '../../core/db/database';
import { createLogger } from '../../core/logger';
import { DomainEventBus } from '../../core/domain-event-bus';
import { createExtensions } from '../../core/extensions/extensions';
import { SecretBox } from '../../core/security/secret-box';
import type { CoreContext } from '../../core/context';
import { tfjsLogistic, tfjsMlp } from '../../plugins/tfjs-propensity/propensity-models';

export async function benchCore(databaseName = 'personae_bench'): Promise<CoreContext> {
  const log = createLogger({ level: 'warn' });
  const db = await resolveDatabase({ databaseName });
  await migrate(db.url);
  const extensions = createExtensions();
  extensions.models.register(tfjsMlp, 'bench');
  extensions.models.register(tfjsLogistic, 'bench');
  return { db: openDatabase(db.url), events: new DomainEventBus(log), extensions, secrets: new SecretBox('bench-secret-key-0000'), log, now: () => new Date() };
}
