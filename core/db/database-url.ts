/** Connection settings parsed from a mysql:// or mariadb:// URL. */
export interface DatabaseUrl {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Extra query parameters, e.g. `connectionLimit=20`. */
  params: Record<string, string>;
}

/** Parses a `mysql://user:pass@host:port/db?k=v` URL; throws naming the problem. */
export function parseDatabaseUrl(url: string): DatabaseUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a URL: ${redact(url)}`);
  }
  if (!['mysql:', 'mariadb:'].includes(u.protocol)) {
    throw new Error(`expected a mysql:// or mariadb:// URL, got ${u.protocol}//`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new Error('the URL names no database (mysql://user@host:3306/<database>)');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password || ''),
    database,
    params: Object.fromEntries(u.searchParams.entries()),
  };
}

/** Formats settings back into a URL (used when the embedded default picks them). */
export function formatDatabaseUrl(d: Omit<DatabaseUrl, 'params'> & { params?: Record<string, string> }): string {
  const auth = d.password ? `${encodeURIComponent(d.user)}:${encodeURIComponent(d.password)}` : encodeURIComponent(d.user);
  const query = d.params && Object.keys(d.params).length ? `?${new URLSearchParams(d.params)}` : '';
  return `mysql://${auth}@${d.host}:${d.port}/${encodeURIComponent(d.database)}${query}`;
}

/** The URL with its password hidden, for logs and error messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
