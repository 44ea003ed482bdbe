// Runs a workspace's connector: pulls batches from the plugin's `sync` generator, writes them
// through the same validated bulk paths as the API (upsertContacts, trackEvents), and stores
// the connector's cursor after each batch so an interrupted sync resumes where it stopped.
import type { WorkspaceContext } from '../context';
import { FailedPreconditionError } from '../errors';
import type { Prisma } from '../db/prisma-client';
import { writeAudit } from '../audit/audit-log';
import { upsertContacts } from '../contacts/contact-upsert';
import { trackEvents } from '../events/track-events';
import { readIntegrationConfig } from '../integrations/integration-configs';
import type { ConnectorBatch } from '../ports/connector';

export interface ConnectorSyncResult {
  importRunId: number;
  batches: number;
  contacts: { created: number; updated: number; unchanged: number; rejected: number };
  events: { accepted: number; duplicates: number; rejected: number };
  cursor: string | null;
}

/** Syncs one CONNECTOR integration; `onBatch` reports progress (and may throw to stop). */
export async function syncConnector(
  ctx: WorkspaceContext,
  args: { integrationId: number; signal?: AbortSignal; onBatch?: (done: ConnectorSyncResult) => Promise<void> },
): Promise<ConnectorSyncResult> {
  const { row, config } = await readIntegrationConfig(ctx, args.integrationId);
  if (row.kind !== 'CONNECTOR') throw new FailedPreconditionError(`integration ${row.id} is not a connector`);
  if (!row.enabled) throw new FailedPreconditionError(`integration "${row.name}" is disabled`);
  const connector = ctx.extensions.connectors.require(row.key);
  const parsed = connector.config.parse(config);
  const state = (row.state as { cursor?: string | null } | null) ?? {};
  const source = `connector:${row.key}`;
  const run = await ctx.db.prisma.importRun.create({ data: { workspaceId: ctx.workspaceId, source, filename: row.name } });
  const result: ConnectorSyncResult = {
    importRunId: run.id,
    batches: 0,
    contacts: { created: 0, updated: 0, unchanged: 0, rejected: 0 },
    events: { accepted: 0, duplicates: 0, rejected: 0 },
    cursor: state.cursor ?? null,
  };
  const errors: { batch: number; index: number; message: string }[] = [];
  const signal = args.signal ?? new AbortController().signal;
  try {
    for await (const batch of connector.sync({ config: parsed, cursor: result.cursor, signal, log: ctx.log.child({ connector: row.key }) })) {
      if (signal.aborted) break;
      await writeBatch(ctx, batch, source, result, errors);
      result.batches++;
      if (batch.cursor !== undefined) {
        result.cursor = batch.cursor;
        await ctx.db.prisma.integrationConfig.update({ where: { id: row.id }, data: { state: { ...state, cursor: result.cursor } as Prisma.InputJsonValue } });
      }
      await args.onBatch?.(result);
    }
  } catch (err) {
    await finish(ctx, run.id, 'FAILED', result, [...errors, { batch: result.batches, index: -1, message: (err as Error).message }]);
    throw err;
  }
  await finish(ctx, run.id, 'COMPLETED', result, errors);
  await writeAudit(ctx, { action: 'connector.synced', targetType: 'IntegrationConfig', targetId: row.id, details: { ...result } });
  return result;
}

async function writeBatch(ctx: WorkspaceContext, batch: ConnectorBatch, source: string, result: ConnectorSyncResult, errors: { batch: number; index: number; message: string }[]) {
  const contacts = batch.contacts ?? [];
  // Records with an external id are keyed by it (the source system's identity), the rest by email.
  for (const key of ['externalId', 'email'] as const) {
    const group = contacts.filter((c) => (key === 'externalId' ? !!c.externalId : !c.externalId));
    if (!group.length) continue;
    const r = await upsertContacts(ctx, { contacts: group, key, source, onInvalid: 'skip', unknownAttributes: 'drop', path: [] });
    result.contacts.created += r.created;
    result.contacts.updated += r.updated;
    result.contacts.unchanged += r.unchanged;
    result.contacts.rejected += r.rejected.length;
    for (const rej of r.rejected) errors.push({ batch: result.batches, index: rej.index, message: rej.issues.map((i) => `${i.path.slice(1).join('.')}: ${i.message}`).join('; ') });
  }
  if (batch.events?.length) {
    const r = await trackEvents(ctx, { events: batch.events, source, path: [] });
    result.events.accepted += r.accepted;
    result.events.duplicates += r.duplicates;
    result.events.rejected += r.rejected.length;
    for (const rej of r.rejected) errors.push({ batch: result.batches, index: rej.index, message: rej.reason });
  }
}

async function finish(ctx: WorkspaceContext, id: number, status: 'COMPLETED' | 'FAILED', r: ConnectorSyncResult, errors: unknown[]) {
  await ctx.db.prisma.importRun.update({
    where: { id },
    data: {
      status,
      finishedAt: ctx.now(),
      totalRows: r.contacts.created + r.contacts.updated + r.contacts.unchanged + r.contacts.rejected,
      created: r.contacts.created,
      updated: r.contacts.updated,
      unchanged: r.contacts.unchanged,
      failed: r.contacts.rejected + r.events.rejected,
      errors: errors.slice(0, 1000) as Prisma.InputJsonValue,
    },
  });
}
