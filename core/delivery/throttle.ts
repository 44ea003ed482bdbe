// Messages-per-minute limits shared by every worker process: a fixed one-minute window per
// campaign (campaigns.throttle_window_*) and per provider channel (provider_channels.window_*),
// read and advanced under a row lock inside the claim transaction.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';

const WINDOW_MS = 60_000;

export interface ThrottleTarget {
  table: 'campaigns' | 'provider_channels';
  id: number;
  /** Messages per minute; null or undefined: unlimited. */
  limit: number | null | undefined;
}

const COLUMNS = {
  campaigns: { at: 'throttle_window_at', used: 'throttle_window_used' },
  provider_channels: { at: 'window_at', used: 'window_used' },
} as const;

export interface Allowance {
  allowed: number;
  /** When the tightest window reopens (set when nothing is allowed). */
  retryAt?: Date;
  /** Counts `n` claimed messages against every limited window. */
  commit(n: number): Promise<void>;
}

/** How many of `want` messages the limits allow now. Locks the limited rows until the transaction ends. */
export async function reserveThrottle(conn: PoolConnection, targets: ThrottleTarget[], want: number, now: Date): Promise<Allowance> {
  const limited = targets.filter((t) => t.limit != null && t.limit > 0);
  const windows: { t: ThrottleTarget; start: Date; used: number }[] = [];
  let allowed = want;
  let retryAt: Date | undefined;
  for (const t of limited) {
    const c = COLUMNS[t.table];
    const [[row]] = await conn.query<RowDataPacket[]>(`SELECT ${c.at} AS at, ${c.used} AS used FROM ${t.table} WHERE id = ? FOR UPDATE`, [t.id]);
    const open = row?.at && now.getTime() - new Date(row.at).getTime() < WINDOW_MS;
    const start = open ? new Date(row.at) : now;
    const used = open ? Number(row.used) : 0;
    windows.push({ t, start, used });
    const left = t.limit! - used;
    if (left < allowed) allowed = Math.max(0, left);
    if (left <= 0) {
      const reopen = new Date(start.getTime() + WINDOW_MS);
      if (!retryAt || reopen > retryAt) retryAt = reopen;
    }
  }
  return {
    allowed,
    retryAt,
    async commit(n: number) {
      for (const w of windows) {
        const c = COLUMNS[w.t.table];
        await conn.query(`UPDATE ${w.t.table} SET ${c.at} = ?, ${c.used} = ? WHERE id = ?`, [w.start, w.used + n, w.t.id]);
      }
    },
  };
}
