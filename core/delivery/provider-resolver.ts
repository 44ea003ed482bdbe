// Which provider a campaign sends through: its own integration, else the workspace's default
// email provider, else the built-in outbox. Instances are created once per configuration
// version and reused by every batch (SMTP pools and HTTP agents live in them).
import type { CoreContext } from '../context';
import { forWorkspace } from '../context';
import { FailedPreconditionError, fromZodIssues } from '../errors';
import { readIntegrationConfig } from '../integrations/integration-configs';
import type { EmailProviderInstance } from '../ports/email-provider';
import { defaultIntegrationId } from './circuit-breaker';

export const BUILTIN_PROVIDER = 'outbox';

export interface ResolvedProvider {
  /** 0 for the built-in outbox. */
  integrationId: number;
  providerKey: string;
  instance: EmailProviderInstance;
}

interface CacheEntry {
  version: string;
  provider: Promise<ResolvedProvider>;
  /** When the configuration's version was last confirmed against the database. */
  checkedAt: number;
}

/** How long a provider's configuration is trusted before its version is re-read (edits apply within this). */
const RECHECK_MS = 5_000;

/** Per-process cache of provider instances, keyed by workspace and integration. */
export class ProviderResolver {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly core: CoreContext) {}

  /** The provider for a campaign's integration id (null: the workspace default). */
  async resolve(workspaceId: number, integrationId: number | null): Promise<ResolvedProvider> {
    const requested = `${workspaceId}:${integrationId ?? 'default'}`;
    const recent = this.cache.get(requested);
    if (recent && Date.now() - recent.checkedAt < RECHECK_MS) return recent.provider;
    const id = integrationId ?? (await defaultIntegrationId(this.core, workspaceId));
    const key = `${workspaceId}:${id}`;
    const version = id ? await this.versionOf(workspaceId, id) : 'builtin';
    const hit = this.cache.get(key);
    if (hit && hit.version === version) {
      hit.checkedAt = Date.now();
      if (requested !== key) this.cache.set(requested, hit);
      return hit.provider;
    }
    if (hit) void hit.provider.then((p) => p.instance.close?.()).catch(() => {});
    const provider = this.create(workspaceId, id);
    const entry = { version, provider, checkedAt: Date.now() };
    this.cache.set(key, entry);
    if (requested !== key) this.cache.set(requested, entry);
    provider.catch(() => {
      this.cache.delete(key);
      this.cache.delete(requested);
    });
    return provider;
  }

  async closeAll(): Promise<void> {
    const entries = [...new Set(this.cache.values())];
    this.cache.clear();
    await Promise.allSettled(entries.map(async (e) => (await e.provider).instance.close?.()));
  }

  private async versionOf(workspaceId: number, id: number): Promise<string> {
    const row = await this.core.db.prisma.integrationConfig.findFirst({ where: { id, workspaceId }, select: { updatedAt: true, enabled: true } });
    if (!row) throw new FailedPreconditionError(`email provider integration ${id} no longer exists`);
    if (!row.enabled) throw new FailedPreconditionError(`email provider integration ${id} is disabled`);
    return row.updatedAt.toISOString();
  }

  private async create(workspaceId: number, id: number): Promise<ResolvedProvider> {
    const log = this.core.log.child({ workspaceId, integrationId: id });
    if (!id) {
      const def = this.core.extensions.emailProviders.get(BUILTIN_PROVIDER);
      if (!def) throw new FailedPreconditionError('no email provider is configured and the outbox plugin is not installed');
      const config = def.config.parse({});
      return { integrationId: 0, providerKey: BUILTIN_PROVIDER, instance: await def.create({ config, log, workspaceId }) };
    }
    const ctx = forWorkspace(this.core, workspaceId, { type: 'system', name: 'delivery' });
    const { row, config } = await readIntegrationConfig(ctx, id);
    const def = this.core.extensions.emailProviders.get(row.key);
    if (!def) throw new FailedPreconditionError(`provider "${row.key}" is not installed`);
    const parsed = def.config.safeParse(config);
    if (!parsed.success) {
      const detail = fromZodIssues(parsed.error.issues).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new FailedPreconditionError(`the ${row.key} configuration "${row.name}" is no longer valid: ${detail}`);
    }
    return { integrationId: id, providerKey: row.key, instance: await def.create({ config: parsed.data, log, workspaceId }) };
  }
}
