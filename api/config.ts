// Configuration from the environment, validated once at start. A bad value stops the
// process with a message naming the variable (see docs/configuration.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_WORKER_NICE } from './workers/process-priority';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(4000),
  /** mysql://user:pass@host:3306/db. Unset: the embedded default (see scripts/db/local-database.ts). */
  DATABASE_URL: z.string().regex(/^(mysql|mariadb):\/\//, 'must start with mysql:// or mariadb://').optional(),
  PERSONAE_DB_NAME: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'letters, digits and _ only').default('personae'),
  DATABASE_POOL_SIZE: int(1, 500).default(10),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  /** Encrypts integration secrets at rest. Required in production; generated into .data/ otherwise. */
  PERSONAE_SECRET_KEY: z.string().min(16, 'must be at least 16 characters (e.g. `openssl rand -base64 32`)').optional(),
  /** Base URL contacts' mail clients reach for tracking and unsubscribe links. */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(1200),
  GRAPHQL_MAX_DEPTH: int(1, 100).default(12),
  GRAPHQL_MAX_COMPLEXITY: int(10, 10_000_000).default(20_000),
  GRAPHQL_MAX_BREADTH: int(1, 10_000).default(500),
  GRAPHQL_MAX_ALIASES: int(1, 1000).default(30),
  MAX_UPLOAD_MB: int(1, 10_000).default(200),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  /** Run background workers inside the API process (single-process deployments, the demo). */
  WORKERS_IN_PROCESS: bool.default(true),
  /** Create and seed a demo workspace when the database has no workspace. */
  DEMO_SEED: bool.default(true),
  /** Worker processes (`npm run worker`) serve their Prometheus metrics on this port. */
  PERSONAE_WORKER_METRICS_PORT: int(0, 65535).optional(),
  /** CPU niceness of worker processes (0–19; 0 leaves it): sending yields cores to API requests and live updates. */
  PERSONAE_WORKER_NICE: int(0, 19).default(DEFAULT_WORKER_NICE),
  // Delivery loops of a process that runs workers (api/workers/delivery-loops.ts); unset: their defaults.
  PERSONAE_DELIVERY: z.enum(['on', 'off']).default('on'),
  PERSONAE_DELIVERY_CONCURRENCY: int(1, 256).optional(),
  PERSONAE_DELIVERY_BATCH_SIZE: int(1, 10_000).optional(),
  PERSONAE_DELIVERY_CLAIM_LEASE_MS: int(1000, 86_400_000).optional(),
  PERSONAE_DELIVERY_SEND_TIMEOUT_MS: int(1000, 3_600_000).optional(),
  PERSONAE_DELIVERY_DISPATCH_MARGIN_MS: int(0, 3_600_000).optional(),
  PERSONAE_DELIVERY_POLL_MS: int(10, 3_600_000).optional(),
  PERSONAE_DELIVERY_TICK_MS: int(10, 3_600_000).optional(),
  /** Deliver for this workspace id only (dedicated workers). */
  PERSONAE_DELIVERY_WORKSPACE: int(1, Number.MAX_SAFE_INTEGER).optional(),
});

export type Config = z.output<typeof envSchema> & { PERSONAE_SECRET_KEY: string; PUBLIC_URL: string };

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: { dataDir?: string } = {}): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message} (got ${JSON.stringify(cleaned[String(i.path[0])] ?? null)})`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  let secret = cfg.PERSONAE_SECRET_KEY;
  if (!secret) {
    if (cfg.NODE_ENV === 'production') throw new ConfigError('invalid configuration:\n  PERSONAE_SECRET_KEY: required in production (e.g. `openssl rand -base64 32`)');
    secret = devSecret(opts.dataDir ?? path.resolve(__dirname, '..', '.data'));
  }
  const publicUrl = cfg.PUBLIC_URL ?? `http://${cfg.HOST === '0.0.0.0' ? 'localhost' : cfg.HOST}:${cfg.PORT}`;
  return { ...cfg, PERSONAE_SECRET_KEY: secret, PUBLIC_URL: publicUrl.replace(/\/$/, '') };
}

// Development convenience: a random key kept in .data/ so encrypted secrets survive restarts.
function devSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}
