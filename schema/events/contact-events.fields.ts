// Event fields on Contact, batched with dataloaders so that a page of contacts costs the
// same number of statements whatever its size.
import type { RowDataPacket } from 'mysql2/promise';
import { builder } from '../builder';
import { ws } from '../context';
import { ContactRef } from '../contacts/contact.type';
import { EventRef } from './event.type';

import type { Event } from '../../prisma/generated/client/client';

type EventRow = Event;

builder.objectFields(ContactRef, (t) => ({
  recentEvents: t.loadableList({
    type: EventRef,
    description: 'The latest events, newest first (batched across a page of contacts).',
    byPath: true,
    args: {
      limit: t.arg.int({ required: true, defaultValue: 10 }),
      types: t.arg.stringList({ description: 'Only these event types.' }),
    },
    complexity: (args) => ({ field: 1, multiplier: args.limit }),
    load: async (contactIds: number[], ctx, args) => {
      const limit = Math.max(1, Math.min(100, args.limit));
      const typeFilter = args.types?.length ? 'AND type IN (?)' : '';
      // One statement for the whole page: rank each contact's events and keep the first `limit`.
      const [rows] = await ctx.core.db.sql.query<RowDataPacket[]>(
        `SELECT * FROM (
           SELECT e.*, ROW_NUMBER() OVER (PARTITION BY contact_id ORDER BY occurred_at DESC, id DESC) AS rn
             FROM events e WHERE workspace_id = ? AND contact_id IN (?) ${typeFilter}
         ) ranked WHERE rn <= ? ORDER BY contact_id, rn`,
        [ws(ctx).workspaceId, contactIds, ...(args.types?.length ? [args.types] : []), limit],
      );
      const byContact = new Map<number, EventRow[]>(contactIds.map((id) => [id, []]));
      for (const r of rows) byContact.get(r.contact_id)?.push(toEvent(r));
      return contactIds.map((id) => byContact.get(id) ?? []);
    },
    resolve: (contact) => contact.id,
  }),
  eventCount: t.loadable({
    type: 'Int',
    description: 'Number of events, optionally of one type.',
    byPath: true,
    args: { type: t.arg.string() },
    load: async (contactIds: number[], ctx, args) => {
      const [rows] = await ctx.core.db.sql.query<RowDataPacket[]>(
        `SELECT contact_id, COUNT(*) AS n FROM events WHERE workspace_id = ? AND contact_id IN (?) ${args.type ? 'AND type = ?' : ''} GROUP BY contact_id`,
        [ws(ctx).workspaceId, contactIds, ...(args.type ? [args.type] : [])],
      );
      const counts = new Map(rows.map((r) => [Number(r.contact_id), Number(r.n)]));
      return contactIds.map((id) => counts.get(id) ?? 0);
    },
    resolve: (contact) => contact.id,
  }),
}));

/** A raw events row in the shape Prisma returns (value stays a number; the Event type reads it with Number()). */
function toEvent(r: RowDataPacket): EventRow {
  return {
    id: BigInt(r.id),
    workspaceId: r.workspace_id,
    contactId: r.contact_id,
    type: r.type,
    properties: typeof r.properties === 'string' ? JSON.parse(r.properties) : r.properties,
    value: r.value,
    occurredAt: r.occurred_at,
    receivedAt: r.received_at,
    source: r.source,
    idempotencyKey: r.idempotency_key,
  } as EventRow;
}
