// Shared fixtures for the personas tests: a fixed clock, contacts and events written through
// the real core functions, and raw rows for tables owned by other domains (message_events,
// contact_scores), inserted with foreign-key checks off because their parents (campaigns,
// models) are not what these tests are about.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import type { WorkspaceContext } from '../../core/context';
import { createContact } from '../../core/contacts/contacts.service';
import { trackEvents, type TrackEventInput } from '../../core/events/track-events';
import { defineAttribute } from '../../core/attributes/attribute-definitions';

export const NOW = new Date('2026-03-15T12:00:00.000Z');
const DAY = 86_400_000;

/** A time `days` before NOW (fractions allowed). */
export function daysAgo(days: number): Date {
  return new Date(NOW.getTime() - days * DAY);
}

/** The workspace context with its clock fixed at NOW. */
export function fixedClock(ctx: WorkspaceContext, now: Date = NOW): WorkspaceContext {
  return { ...ctx, now: () => now };
}

export async function contact(ctx: WorkspaceContext, email: string, extra: Record<string, unknown> = {}): Promise<number> {
  const c = await createContact(ctx, { email, ...extra });
  return c.id;
}

export async function track(ctx: WorkspaceContext, events: (Omit<TrackEventInput, 'occurredAt'> & { occurredAt: Date })[]): Promise<void> {
  const res = await trackEvents(ctx, { events, source: 'test' });
  if (res.rejected.length) throw new Error(`events rejected: ${JSON.stringify(res.rejected)}`);
}

export async function defineAttributes(ctx: WorkspaceContext): Promise<void> {
  await defineAttribute(ctx, { key: 'age', type: 'NUMBER' });
  await defineAttribute(ctx, { key: 'region', type: 'ENUM', enumValues: ['north', 'south', 'east', 'west'] });
  await defineAttribute(ctx, { key: 'vip', type: 'BOOLEAN' });
  await defineAttribute(ctx, { key: 'occupation', type: 'STRING' });
}

/** Inserts opens/clicks into message_events (owned by campaigns) as raw rows. */
export async function messageEvents(app: App, ctx: WorkspaceContext, rows: { contactId: number; type: 'open' | 'click'; occurredAt: Date; machine?: boolean }[]): Promise<void> {
  const conn = await app.core.db.sql.getConnection();
  try {
    await conn.query('SET FOREIGN_KEY_CHECKS = 0');
    await conn.query('INSERT INTO message_events (workspace_id, message_id, campaign_id, contact_id, type, occurred_at, source, machine) VALUES ?', [
      rows.map((r) => [ctx.workspaceId, 999_999_999, 999_999_999, r.contactId, r.type, r.occurredAt, 'test', r.machine ? 1 : 0]),
    ]);
  } finally {
    await conn.query('SET FOREIGN_KEY_CHECKS = 1');
    conn.release();
  }
}

/** Inserts propensity scores into contact_scores (owned by models) as raw rows. */
export async function scores(app: App, ctx: WorkspaceContext, target: string, rows: [contactId: number, score: number][]): Promise<void> {
  const conn = await app.core.db.sql.getConnection();
  try {
    await conn.query('SET FOREIGN_KEY_CHECKS = 0');
    await conn.query('INSERT INTO contact_scores (contact_id, workspace_id, model_id, target, score, scored_at) VALUES ?', [
      rows.map(([id, s]) => [id, ctx.workspaceId, 999_999_999, target, s, NOW]),
    ]);
  } finally {
    await conn.query('SET FOREIGN_KEY_CHECKS = 1');
    conn.release();
  }
}

export async function memberIds(app: App, personaId: number): Promise<number[]> {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT contact_id FROM persona_members WHERE persona_id = ? ORDER BY contact_id', [personaId]);
  return rows.map((r) => Number(r.contact_id));
}
