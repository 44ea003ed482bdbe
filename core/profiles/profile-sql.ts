// Shared pieces of the profile statements: the reference instants of one computation, the
// statement type, the connection-scoped scratch tables and the session limits they need.
// The statements themselves: profile-scan.ts (the one read of events), profile-families.ts
// (every feature family from that read) and profile-write.ts (the swap into the real tables).

const DAY_MS = 86_400_000;

/** Reference instants of one computation (all windows end at `asOf`). */
export interface Windows {
  asOf: Date;
  d7: Date;
  d30: Date;
  d90: Date;
  d365: Date;
}

export function windowsAt(asOf: Date): Windows {
  const ago = (days: number) => new Date(asOf.getTime() - days * DAY_MS);
  return { asOf, d7: ago(7), d30: ago(30), d90: ago(90), d365: ago(365) };
}

export type Statement = [sql: string, params: unknown[]];

/** Every temporary table a computation creates (dropped before and after). */
export const TEMP_TABLES = [
  'tp_ev', 'tp_types', 'tp_ct', 'tp_activity', 'tp_rfm', 'tp_mail', 'tp_zone', 'tp_tz', 'tp_cz', 'tp_hour',
  'tp_catname', 'tp_cat', 'tp_iraw', 'tp_itot', 'tp_itop',
];

/**
 * Session limits for the computation. The scratch tables other than tp_ev are MEMORY tables
 * (about 100 bytes per contact, per contact × event type and per contact × category), and the
 * window and GROUP BY steps build internal temporary tables of up to one narrow row per
 * event; with the 16 MB defaults those spill to disk and the steps take several times longer.
 * Memory is only taken as rows arrive. 1 GiB holds a workspace of several million contacts.
 */
export const SESSION_LIMITS = 'SET SESSION tmp_table_size = 1073741824, max_heap_table_size = 1073741824, sort_buffer_size = 67108864';
export const SESSION_DEFAULTS = 'SET SESSION tmp_table_size = DEFAULT, max_heap_table_size = DEFAULT, sort_buffer_size = DEFAULT';
