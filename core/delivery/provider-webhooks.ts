// Provider event webhooks: the provider plugin verifies the request (its signature) and
// normalises the events; here they are matched to our messages (by the message id we sent
// as a custom argument, else by the provider's message id), deduplicated by the provider's
// event id, and applied. Only messages of the integration's own workspace can be touched.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { forWorkspace } from '../context';
import { ForbiddenError, NotFoundError } from '../errors';
import { readIntegrationConfig } from '../integrations/integration-configs';
import type { ProviderEvent } from '../ports/email-provider';
import { chunk } from '../db/sql-helpers';
import { applyMessageEvents, type ApplyResult, type MessageEventInput } from './message-events';

/** Verifies, normalises and applies one webhook delivery for integration `integrationId`. */
export async function handleProviderWebhook(core: CoreContext, args: { integrationId: number; headers: Headers; rawBody: string }): Promise<ApplyResult & { received: number }> {
  const row = await core.db.prisma.integrationConfig.findUnique({ where: { id: args.integrationId } });
  if (!row || row.kind !== 'EMAIL_PROVIDER') throw new NotFoundError('webhook');
  const def = core.extensions.emailProviders.get(row.key);
  if (!def?.parseWebhook) throw new NotFoundError('webhook');
  const ctx = forWorkspace(core, row.workspaceId, { type: 'plugin', name: row.key });
  const { config } = await readIntegrationConfig(ctx, row.id);
  let events: ProviderEvent[];
  try {
    events = await def.parseWebhook({ config: def.config.parse(config), headers: args.headers, rawBody: args.rawBody });
  } catch (err) {
    core.log.warn({ err, integrationId: row.id }, 'webhook rejected');
    throw new ForbiddenError(`the webhook could not be verified: ${(err as Error).message}`);
  }
  const ids = await messageIds(core, row.workspaceId, events);
  const inputs: MessageEventInput[] = [];
  let unmatched = 0;
  for (const e of events) {
    const id = ids(e);
    if (id === null) {
      unmatched++;
      continue;
    }
    inputs.push({
      messageId: id, type: e.type, occurredAt: e.occurredAt, source: `webhook:${row.key}`, dedupeKey: `${row.key}:${e.providerEventId}`.slice(0, 191),
      machine: e.machineOpen ?? false, url: e.url ?? null, reason: e.reason ?? null, bounceClass: e.bounceClass ?? null,
    });
  }
  const result = await applyMessageEvents(core, row.workspaceId, inputs);
  return { ...result, unknownMessages: result.unknownMessages + unmatched, received: events.length };
}

/** Resolves each event's message: our id when echoed back, else the provider's message id. */
async function messageIds(core: CoreContext, workspaceId: number, events: ProviderEvent[]): Promise<(e: ProviderEvent) => bigint | null> {
  const providerIds = [...new Set(events.filter((e) => !ourId(e) && e.providerMessageId).map((e) => e.providerMessageId!))];
  const byProviderId = new Map<string, bigint>();
  for (const part of chunk(providerIds, 1000)) {
    // SendGrid's sg_message_id is the X-Message-Id we stored plus ".filter…" suffixes.
    const candidates = [...new Set(part.flatMap((p) => [p, p.split('.')[0]]))];
    const [rows] = await core.db.sql.query<RowDataPacket[]>('SELECT id, provider_message_id FROM messages WHERE workspace_id = ? AND provider_message_id IN (?)', [workspaceId, candidates]);
    for (const r of rows) byProviderId.set(r.provider_message_id, BigInt(r.id));
  }
  return (e) => ourId(e) ?? (e.providerMessageId ? (byProviderId.get(e.providerMessageId) ?? byProviderId.get(e.providerMessageId.split('.')[0]) ?? null) : null);
}

function ourId(e: ProviderEvent): bigint | null {
  return e.messageId && /^\d{1,19}$/.test(e.messageId) ? BigInt(e.messageId) : null;
}
