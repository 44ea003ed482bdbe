import { createHash, randomInt } from 'node:crypto';
import type { CoreContext, WorkspaceContext } from '../context';
import { NotFoundError, ValidationError } from '../errors';
import { writeAudit } from '../audit/audit-log';

export type Scope = 'READ' | 'WRITE' | 'ADMIN';

const RANK: Record<Scope, number> = { READ: 1, WRITE: 2, ADMIN: 3 };
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// lastUsedAt is informational; writing it on every request would cost a write per read.
const LAST_USED_RESOLUTION_MS = 60_000;

/** True when a key with scope `granted` may do what `needed` requires (ADMIN ⊇ WRITE ⊇ READ). */
export function scopeAllows(granted: Scope, needed: Scope): boolean {
  return RANK[granted] >= RANK[needed];
}

/** SHA-256 is enough here: keys carry 190 random bits, so there is nothing to brute-force. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function randomBase62(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += BASE62[randomInt(62)];
  return out;
}

/** Creates a key. The secret is returned once here and never stored. */
export async function createApiKey(ctx: WorkspaceContext, input: { name: string; scope: Scope; expiresAt?: Date | null }) {
  const name = input.name.trim();
  if (!name || name.length > 120) throw ValidationError.at(['name'], 'must be 1–120 characters');
  if (input.expiresAt && input.expiresAt.getTime() <= ctx.now().getTime()) {
    throw ValidationError.at(['expiresAt'], 'must be in the future');
  }
  return createKeyRow(ctx, ctx.workspaceId, name, input.scope, input.expiresAt ?? null, async (key) =>
    writeAudit(ctx, { action: 'api_key.created', targetType: 'ApiKey', targetId: key.id, details: { scope: key.scope, name } }),
  );
}

/** Creates a key without an acting key (boot: the demo workspace's first admin key). */
export async function createInitialApiKey(core: CoreContext, workspaceId: number, name: string, scope: Scope = 'ADMIN') {
  return createKeyRow(core, workspaceId, name, scope, null, async () => {});
}

async function createKeyRow(
  core: CoreContext,
  workspaceId: number,
  name: string,
  scope: Scope,
  expiresAt: Date | null,
  after: (key: { id: number; scope: Scope }) => Promise<void>,
) {
  const prefix = `pk_${randomBase62(8)}`;
  const secret = `${prefix}_${randomBase62(32)}`;
  const apiKey = await core.db.prisma.apiKey.create({
    data: { workspaceId, name, prefix, secretHash: hashApiKey(secret), scope, expiresAt },
  });
  await after(apiKey);
  return { apiKey, secret };
}

export async function listApiKeys(ctx: WorkspaceContext) {
  return ctx.db.prisma.apiKey.findMany({ where: { workspaceId: ctx.workspaceId }, orderBy: { id: 'asc' } });
}

/** Revokes a key of the caller's workspace; revoking twice is harmless. */
export async function revokeApiKey(ctx: WorkspaceContext, id: number) {
  const key = await ctx.db.prisma.apiKey.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!key) throw new NotFoundError('API key', id);
  if (key.revokedAt) return key;
  const revoked = await ctx.db.prisma.apiKey.update({ where: { id }, data: { revokedAt: ctx.now() } });
  await writeAudit(ctx, { action: 'api_key.revoked', targetType: 'ApiKey', targetId: id });
  ctx.events.emit('api_key.revoked', { workspaceId: ctx.workspaceId, keyId: id });
  return revoked;
}

export interface AuthenticatedKey {
  keyId: number;
  workspaceId: number;
  scope: Scope;
  prefix: string;
}

export type KeyCheck = { ok: true; key: AuthenticatedKey } | { ok: false; reason: 'unknown' | 'revoked' | 'expired' };

/** Checks a presented secret. Does not throw; the caller decides how to answer. */
export async function checkApiKey(core: CoreContext, secret: string): Promise<KeyCheck> {
  if (!/^pk_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/.test(secret)) return { ok: false, reason: 'unknown' };
  const row = await core.db.prisma.apiKey.findUnique({ where: { secretHash: hashApiKey(secret) } });
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revokedAt) return { ok: false, reason: 'revoked' };
  const now = core.now();
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Fire and forget: a lost update only makes lastUsedAt a little older.
    core.db.prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } }).catch((err: Error) => core.log.warn({ err }, 'could not record API key use'));
  }
  return { ok: true, key: { keyId: row.id, workspaceId: row.workspaceId, scope: row.scope, prefix: row.prefix } };
}
