// Templates read tables other domains own (contact_profiles, personas, persona_members,
// contact_scores). A deployment may run before those migrations exist; a missing table then
// means "no data", not a failed send.

/** True for MySQL/MariaDB "table doesn't exist" (ER_NO_SUCH_TABLE). */
export function isMissingTable(err: unknown): boolean {
  const e = err as { errno?: number; code?: string };
  return e?.errno === 1146 || e?.code === 'ER_NO_SUCH_TABLE';
}

/** Runs a read; a missing table yields `fallback`. */
export async function readTolerant<T>(read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (isMissingTable(err)) return fallback;
    throw err;
  }
}
