// A workspace's configured extensions (its SendGrid account, its CRM connector). Settings are
// validated by the extension's own zod schema; secret fields are sealed with SecretBox and
// never leave core in clear except to the extension that uses them.
import type { WorkspaceContext } from '../context';
import { NotFoundError, ValidationError, ConflictError, fromZodIssues, type IssuePath } from '../errors';
import { writeAudit } from '../audit/audit-log';
import type { Prisma } from '../db/prisma-client';
import type { ExtensionRegistry } from '../extensions/registry';

export type IntegrationKind = 'EMAIL_PROVIDER' | 'CONNECTOR';

interface ConfigurableExtension {
  key: string;
  config: { safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } };
  secretFields?: string[];
}

function registryFor(ctx: WorkspaceContext, kind: IntegrationKind): ExtensionRegistry<ConfigurableExtension> {
  return (kind === 'EMAIL_PROVIDER' ? ctx.extensions.emailProviders : ctx.extensions.connectors) as unknown as ExtensionRegistry<ConfigurableExtension>;
}

function splitConfig(ext: ConfigurableExtension, config: unknown, path: IssuePath) {
  const parsed = ext.config.safeParse(config);
  if (!parsed.success) throw new ValidationError(`invalid ${ext.key} configuration`, fromZodIssues(parsed.error.issues, path));
  const data = parsed.data as Record<string, unknown>;
  const secretKeys = new Set(ext.secretFields ?? []);
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) (secretKeys.has(k) ? secrets : settings)[k] = v;
  return { settings, secrets };
}

/** Configures an extension for the workspace. `config` holds settings and secrets together. */
export async function createIntegration(
  ctx: WorkspaceContext,
  input: { kind: IntegrationKind; key: string; name: string; config: Record<string, unknown>; isDefault?: boolean },
) {
  const ext = registryFor(ctx, input.kind).require(input.key, ['input', 'key']);
  const name = input.name.trim();
  if (!name || name.length > 120) throw ValidationError.at(['input', 'name'], 'must be 1–120 characters');
  const { settings, secrets } = splitConfig(ext, input.config, ['input', 'config']);
  return ctx.db.prisma.$transaction(async (tx) => {
    const clash = await tx.integrationConfig.findFirst({ where: { workspaceId: ctx.workspaceId, kind: input.kind, name } });
    if (clash) throw new ConflictError(`an integration named "${name}" already exists`, [{ path: ['input', 'name'], message: 'already in use' }]);
    const isDefault = input.isDefault ?? !(await tx.integrationConfig.count({ where: { workspaceId: ctx.workspaceId, kind: input.kind } }));
    if (isDefault) await tx.integrationConfig.updateMany({ where: { workspaceId: ctx.workspaceId, kind: input.kind }, data: { isDefault: false } });
    const row = await tx.integrationConfig.create({
      data: {
        workspaceId: ctx.workspaceId, kind: input.kind, key: input.key, name, isDefault,
        settings: settings as Prisma.InputJsonValue,
        secrets: Object.keys(secrets).length ? new Uint8Array(ctx.secrets.seal(secrets)) : null,
      },
    });
    await writeAudit(ctx, { action: 'integration.created', targetType: 'IntegrationConfig', targetId: row.id, details: { kind: input.kind, key: input.key } }, tx);
    return row;
  });
}

/** Changes name, flags, or configuration (merged over the current one: omit a secret to keep it). */
export async function updateIntegration(
  ctx: WorkspaceContext,
  id: number,
  input: { name?: string; config?: Record<string, unknown>; enabled?: boolean; isDefault?: boolean },
) {
  const current = await getIntegrationRow(ctx, id);
  const data: Prisma.IntegrationConfigUpdateInput = {};
  if (input.name !== undefined) data.name = input.name.trim();
  if (input.enabled !== undefined) data.enabled = input.enabled;
  if (input.config !== undefined) {
    const ext = registryFor(ctx, current.kind as IntegrationKind).require(current.key, ['input', 'key']);
    const merged = { ...(await readIntegrationConfig(ctx, id)).config, ...input.config };
    const { settings, secrets } = splitConfig(ext, merged, ['input', 'config']);
    data.settings = settings as Prisma.InputJsonValue;
    data.secrets = Object.keys(secrets).length ? new Uint8Array(ctx.secrets.seal(secrets)) : null;
  }
  return ctx.db.prisma.$transaction(async (tx) => {
    if (input.isDefault) await tx.integrationConfig.updateMany({ where: { workspaceId: ctx.workspaceId, kind: current.kind }, data: { isDefault: false } });
    if (input.isDefault !== undefined) data.isDefault = input.isDefault;
    const row = await tx.integrationConfig.update({ where: { id }, data });
    await writeAudit(ctx, { action: 'integration.updated', targetType: 'IntegrationConfig', targetId: id, details: { fields: Object.keys(data) } }, tx);
    return row;
  });
}

export async function deleteIntegration(ctx: WorkspaceContext, id: number): Promise<void> {
  await getIntegrationRow(ctx, id);
  await ctx.db.prisma.integrationConfig.delete({ where: { id } });
  await writeAudit(ctx, { action: 'integration.deleted', targetType: 'IntegrationConfig', targetId: id });
}

export async function listIntegrations(ctx: WorkspaceContext, kind?: IntegrationKind) {
  return ctx.db.prisma.integrationConfig.findMany({ where: { workspaceId: ctx.workspaceId, kind }, orderBy: { id: 'asc' } });
}

export async function getIntegrationRow(ctx: WorkspaceContext, id: number) {
  const row = await ctx.db.prisma.integrationConfig.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!row) throw new NotFoundError('integration', id);
  return row;
}

/** The decrypted configuration (settings and secrets) for the extension that uses it. */
export async function readIntegrationConfig(ctx: WorkspaceContext, id: number) {
  const row = await getIntegrationRow(ctx, id);
  const secrets = row.secrets ? ctx.secrets.open<Record<string, unknown>>(row.secrets) : {};
  return { row, config: { ...((row.settings as Record<string, unknown>) ?? {}), ...secrets } };
}

/** Names of the secret fields that are set (never their values), for display. */
export function secretFieldsSet(ctx: WorkspaceContext, row: { kind: string; key: string; secrets: Uint8Array | null }): string[] {
  if (!row.secrets) return [];
  return Object.keys(ctx.secrets.open<Record<string, unknown>>(row.secrets));
}
