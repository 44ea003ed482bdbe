// Loads what templates read for a batch of recipients in a constant number of statements
// (workspace, contacts, profiles, persona slugs, scores: five, whatever the batch size), so
// the delivery worker never queries per message. Tables owned by other domains may be
// missing on an older database; they then contribute nothing.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { readTolerant } from './sql-tolerance';
import type { CampaignVars, ContactVars, Recommendation, TemplateScope, WorkspaceVars } from './template-scope';

/** Supplies product recommendations for a batch (e.g. from core/recommendations), by contact id. */
export type RecommendationSource = (ctx: WorkspaceContext, contactIds: number[]) => Promise<Map<number, Recommendation[]>>;

export interface LoadScopesArgs {
  /** The batch's contact ids (keep batches ≤ 1,000: one IN list per statement). */
  contactIds: number[];
  campaign?: CampaignVars;
  recommendations?: RecommendationSource;
}

/** One scope per contact id found in the workspace; ids of other workspaces are simply absent. */
export async function loadTemplateScopes(ctx: WorkspaceContext, args: LoadScopesArgs): Promise<Map<number, TemplateScope>> {
  const out = new Map<number, TemplateScope>();
  const ids = [...new Set(args.contactIds)];
  if (!ids.length) return out;
  const sql = ctx.db.sql;
  const ws = ctx.workspaceId;
  const rows = (q: Promise<[RowDataPacket[], unknown]>) => q.then(([r]) => r);

  const [workspaceRows, contacts, profiles, memberships, scores, recommendations] = await Promise.all([
    rows(sql.query<RowDataPacket[]>('SELECT id, name, timezone FROM workspaces WHERE id = ?', [ws])),
    rows(sql.query<RowDataPacket[]>(
      `SELECT id, email, first_name, last_name, locale, timezone, external_id, created_at, attributes
         FROM contacts WHERE workspace_id = ? AND id IN (?)`, [ws, ids])),
    readTolerant(() => rows(sql.query<RowDataPacket[]>('SELECT * FROM contact_profiles WHERE workspace_id = ? AND contact_id IN (?)', [ws, ids])), []),
    readTolerant(() => rows(sql.query<RowDataPacket[]>(
      `SELECT pm.contact_id, p.slug FROM persona_members pm JOIN personas p ON p.id = pm.persona_id
        WHERE pm.workspace_id = ? AND pm.contact_id IN (?) ORDER BY p.slug`, [ws, ids])), []),
    readTolerant(() => rows(sql.query<RowDataPacket[]>(
      'SELECT contact_id, target, score FROM contact_scores WHERE workspace_id = ? AND contact_id IN (?)', [ws, ids])), []),
    args.recommendations ? args.recommendations(ctx, ids) : Promise.resolve(new Map<number, Recommendation[]>()),
  ]);

  const w = workspaceRows[0];
  const workspace: WorkspaceVars = { id: ws, name: w ? String(w.name) : '', timezone: w ? String(w.timezone) : 'UTC' };
  const campaign = args.campaign ?? {};
  const profileBy = new Map<number, Record<string, unknown>>(profiles.map((p) => [Number(p.contact_id), profileVars(p)]));
  const personasBy = groupBy(memberships, (m) => String(m.slug));
  const scoresBy = new Map<number, Record<string, number>>();
  for (const s of scores) {
    const id = Number(s.contact_id);
    if (!scoresBy.has(id)) scoresBy.set(id, {});
    scoresBy.get(id)![String(s.target)] = Number(s.score);
  }

  for (const c of contacts) {
    const id = Number(c.id);
    out.set(id, {
      contact: contactVars(c, personasBy.get(id) ?? []),
      profile: profileBy.get(id) ?? {},
      scores: scoresBy.get(id) ?? {},
      recommendations: recommendations.get(id) ?? [],
      campaign,
      workspace,
    });
  }
  return out;
}

function contactVars(c: RowDataPacket, personas: string[]): ContactVars {
  const first = c.first_name ?? null;
  const last = c.last_name ?? null;
  const attributes = typeof c.attributes === 'string' ? JSON.parse(c.attributes) : (c.attributes ?? {});
  return {
    id: Number(c.id),
    email: c.email ?? null,
    first_name: first,
    last_name: last,
    full_name: [first, last].filter(Boolean).join(' ') || null,
    locale: c.locale ?? null,
    timezone: c.timezone ?? null,
    external_id: c.external_id ?? null,
    created_at: c.created_at ?? null,
    attributes: attributes && typeof attributes === 'object' ? attributes : {},
    personas,
  };
}

function profileVars(p: RowDataPacket): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (k !== 'contact_id' && k !== 'workspace_id') out[k] = v;
  return out;
}

function groupBy(rows: RowDataPacket[], value: (r: RowDataPacket) => string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const r of rows) {
    const id = Number(r.contact_id);
    if (!out.has(id)) out.set(id, []);
    out.get(id)!.push(value(r));
  }
  return out;
}
