import type { Database } from './db/database';
import type { DomainEvents } from './domain-events';
import type { Extensions } from './extensions/extensions';
import type { Logger } from './logger';
import type { SecretBox } from './security/secret-box';

/** Process-wide services every core function may use. */
export interface CoreContext {
  db: Database;
  events: DomainEvents;
  extensions: Extensions;
  secrets: SecretBox;
  log: Logger;
  /** The clock; tests and simulations replace it. */
  now(): Date;
}

/** Who is acting: recorded in the audit log. */
export type Actor =
  | { type: 'api_key'; id: number }
  | { type: 'system'; name?: string }
  | { type: 'plugin'; name: string };

/** A core context bound to one workspace: every core function that reads or writes data takes one. */
export interface WorkspaceContext extends CoreContext {
  workspaceId: number;
  actor: Actor;
  requestId?: string;
}

/** Binds a core context to a workspace. */
export function forWorkspace(
  core: CoreContext,
  workspaceId: number,
  actor: Actor = { type: 'system' },
  requestId?: string,
): WorkspaceContext {
  return { ...core, workspaceId, actor, requestId };
}
