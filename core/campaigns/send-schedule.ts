// Sets each message's send time in one set-based UPDATE: the send times are computed in
// JavaScript per (time zone, local hour) pair (a few hundred rows at most), loaded into a
// temporary table, and joined to the messages through their contacts.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { chunk } from '../db/sql-helpers';
import { outsideQuietHours, stoSendTimes, type QuietHours } from './send-time';
import { personaBestHours } from './audience';

export interface SendTimePlan {
  campaignId: number;
  /** Which of the campaign's messages to (re)schedule. */
  statuses: string[];
  mode: 'NOW' | 'AT' | 'STO';
  /** NOW/AT: the send time; STO: the start of the window. */
  start: Date;
  windowHours: number;
  /** Quiet hours to respect (null for transactional campaigns or when the workspace has none). */
  quietHours: QuietHours | null;
  workspaceTimezone: string;
  defaultSendHour: number;
  /** STO falls back to the best hour of the first of these personas the contact belongs to. */
  personaIds: number[];
}

const TMP = 'tmp_campaign_send_times';

/**
 * Writes send times. Without STO and quiet hours every message simply gets `start`; otherwise
 * the time depends on the contact's zone and (STO) their preferred hour, falling back to their
 * persona's best hour, then the workspace default.
 */
export async function applySendTimes(ctx: WorkspaceContext, conn: PoolConnection, plan: SendTimePlan): Promise<void> {
  const scope = 'm.campaign_id = ? AND m.status IN (?)';
  const scopeParams = [plan.campaignId, plan.statuses];
  await conn.query(`UPDATE messages m SET m.send_at = ? WHERE ${scope}`, [plan.start, ...scopeParams]);
  if (plan.mode !== 'STO' && !plan.quietHours) return;

  const [zones] = await conn.query<RowDataPacket[]>(
    `SELECT DISTINCT COALESCE(c.timezone, ?) AS tz FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE ${scope}`,
    [plan.workspaceTimezone, ...scopeParams],
  );
  const rows: [string, number, Date][] = [];
  for (const { tz } of zones) {
    if (plan.mode === 'STO') {
      stoSendTimes(tz, plan.start, plan.windowHours).forEach((at, hour) => rows.push([tz, hour, outsideQuietHours(tz, at, plan.quietHours)]));
    } else {
      rows.push([tz, -1, outsideQuietHours(tz, plan.start, plan.quietHours)]);
    }
  }
  await conn.query(`DROP TEMPORARY TABLE IF EXISTS ${TMP}`);
  await conn.query(`CREATE TEMPORARY TABLE ${TMP} (tz VARCHAR(64) NOT NULL, hour TINYINT NOT NULL, send_at DATETIME(3) NOT NULL, PRIMARY KEY (tz, hour)) ENGINE=MEMORY`);
  try {
    for (const part of chunk(rows, 2000)) await conn.query(`INSERT INTO ${TMP} (tz, hour, send_at) VALUES ?`, [part]);
    let hourExpr = '-1';
    const hourParams: unknown[] = [];
    let profileJoin = '';
    if (plan.mode === 'STO') {
      profileJoin = 'LEFT JOIN contact_profiles cp ON cp.contact_id = m.contact_id';
      const personaHours = [...(await personaBestHours(ctx, plan.personaIds, conn))].sort(
        (a, b) => plan.personaIds.indexOf(a[0]) - plan.personaIds.indexOf(b[0]),
      );
      let personaExpr = 'NULL';
      if (personaHours.length) {
        // The first listed persona the contact is in (FIELD keeps the campaign's order).
        personaExpr = `(SELECT CASE pm.persona_id ${personaHours.map(() => 'WHEN ? THEN ?').join(' ')} END
                          FROM persona_members pm WHERE pm.contact_id = m.contact_id AND pm.persona_id IN (?)
                         ORDER BY FIELD(pm.persona_id, ?) LIMIT 1)`;
        hourParams.push(...personaHours.flat(), personaHours.map((p) => p[0]), personaHours.map((p) => p[0]));
      }
      hourExpr = `COALESCE(cp.preferred_hour, ${personaExpr}, ?)`;
      hourParams.push(plan.defaultSendHour);
    }
    await conn.query(
      `UPDATE messages m JOIN contacts c ON c.id = m.contact_id ${profileJoin}
          JOIN ${TMP} t ON t.tz = COALESCE(c.timezone, ?) AND t.hour = ${hourExpr}
          SET m.send_at = t.send_at
        WHERE ${scope}`,
      [plan.workspaceTimezone, ...hourParams, ...scopeParams],
    );
  } finally {
    await conn.query(`DROP TEMPORARY TABLE IF EXISTS ${TMP}`);
  }
}
