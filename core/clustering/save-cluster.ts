// Turns one cluster of a stored discovery into a persona. Its membership is "contacts whose
// nearest centroid is this one", evaluated in SQL on every refresh (see cluster-assign.ts),
// so the persona follows contacts as their profiles change.
import type { WorkspaceContext } from '../context';
import { ConflictError, NotFoundError, ValidationError, type IssuePath } from '../errors';
import { writeAudit } from '../audit/audit-log';
import { isDuplicateKey } from '../db/sql-helpers';
import type { Prisma } from '../db/prisma-client';
import { checkPersonaFields, getPersona } from '../personas/personas.service';
import { refreshPersona } from '../personas/persona-refresh';
import type { ClusterDefinition } from './cluster-assign';
import type { ClusterModel } from './discover-personas';

export interface SaveClusterArgs {
  discoveryId: number;
  cluster: number;
  slug: string;
  /** Defaults to the cluster's generated label. */
  name?: string | null;
  description?: string | null;
}

/** Saves a discovered cluster as a CLUSTER persona and computes its membership. */
export async function saveClusterAsPersona(ctx: WorkspaceContext, args: SaveClusterArgs, path: IssuePath = ['input']) {
  const discovery = await ctx.db.prisma.personaDiscovery.findFirst({ where: { id: args.discoveryId, workspaceId: ctx.workspaceId } });
  if (!discovery) throw new NotFoundError('persona discovery', args.discoveryId);
  const model = discovery.model as unknown as ClusterModel;
  const name = args.name ?? model.labels[args.cluster];
  const issues = checkPersonaFields({ slug: args.slug, name: name ?? '', description: args.description }, path, true);
  if (!Number.isInteger(args.cluster) || args.cluster < 0 || args.cluster >= discovery.k) {
    issues.push({ path: [...path, 'cluster'], message: `this discovery has clusters 0 to ${discovery.k - 1}` });
  }
  if (issues.length) throw new ValidationError('invalid cluster persona; nothing was saved', issues);
  const definition: ClusterDefinition = { discoveryId: discovery.id, cluster: args.cluster, model };
  let persona;
  try {
    persona = await ctx.db.prisma.persona.create({
      data: {
        workspaceId: ctx.workspaceId, slug: args.slug, name: name!.trim().slice(0, 120), description: args.description ?? null,
        kind: 'CLUSTER', definition: definition as unknown as Prisma.InputJsonValue,
      },
    });
  } catch (err) {
    if (isDuplicateKey(err) || (err as { code?: string })?.code === 'P2002') {
      throw new ConflictError(`a persona with slug "${args.slug}" already exists`, [{ path: [...path, 'slug'], message: 'already in use' }]);
    }
    throw err;
  }
  await writeAudit(ctx, { action: 'persona.created', targetType: 'Persona', targetId: persona.id, details: { slug: persona.slug, discoveryId: discovery.id, cluster: args.cluster } });
  ctx.events.emit('persona.created', { workspaceId: ctx.workspaceId, personaId: persona.id });
  const refresh = await refreshPersona(ctx, persona.id);
  return { persona: await getPersona(ctx, persona.id), refresh };
}
