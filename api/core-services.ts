import type { CoreContext } from '../core/context';
import { openDatabase, type Database } from '../core/db/database';
import { DomainEventBus } from '../core/domain-event-bus';
import { createExtensions } from '../core/extensions/extensions';
import type { Logger } from '../core/logger';
import { SecretBox } from '../core/security/secret-box';

export interface CoreServices extends CoreContext {
  bus: DomainEventBus;
}

/** Opens the database and builds the process-wide core context. */
export function createCoreServices(args: { databaseUrl: string; secretKey: string; log: Logger; poolSize?: number; db?: Database }): CoreServices {
  const db = args.db ?? openDatabase(args.databaseUrl, { connectionLimit: args.poolSize });
  const bus = new DomainEventBus(args.log);
  return {
    db,
    bus,
    events: bus,
    extensions: createExtensions(),
    secrets: new SecretBox(args.secretKey),
    log: args.log,
    now: () => new Date(),
  };
}
