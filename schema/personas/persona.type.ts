// The Persona type with its members, size history and membership changes, and the
// read-only queries (persona, personaBySlug, personas, previewPersona).
import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { ContactRef } from '../contacts/contact.type';
import { getPersona, MAX_PREVIEW_SAMPLE, previewPersona } from '../../core/personas/personas.service';
import { PersonaRuleInput } from './persona-rule.input';

export const PersonaKindEnum = builder.enumType('PersonaKind', {
  values: { RULE: { description: 'Members match a rule.' }, CLUSTER: { description: 'Members are nearest to a saved k-means centroid.' } },
});

const ClusterInfo = builder.objectRef<{ discoveryId: number; cluster: number; model: { labels: string[]; features: string[] } }>('PersonaCluster').implement({
  fields: (t) => ({
    discoveryId: t.int({ resolve: (c) => c.discoveryId }),
    index: t.int({ resolve: (c) => c.cluster }),
    label: t.string({ resolve: (c) => c.model.labels[c.cluster] ?? '' }),
    features: t.stringList({ resolve: (c) => c.model.features }),
  }),
});

export const PersonaRef = builder.prismaNode('Persona', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable handle used by templates and audiences.' }),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    kind: t.expose('kind', { type: PersonaKindEnum }),
    rule: t.field({ type: 'JSON', nullable: true, description: 'The rule (RULE personas), in the PersonaRuleInput shape.', resolve: (p) => (p.kind === 'RULE' ? p.definition : null) }),
    cluster: t.field({ type: ClusterInfo, nullable: true, resolve: (p) => (p.kind === 'CLUSTER' ? (p.definition as never) : null) }),
    memberCount: t.exposeInt('memberCount'),
    refreshedAt: t.expose('refreshedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    members: t.prismaConnection({
      type: 'Contact',
      cursor: 'id',
      maxSize: 200,
      description: 'Current members, by contact id.',
      totalCount: (p) => p.memberCount,
      resolve: (query, p, _args, ctx) =>
        ctx.core.db.prisma.contact.findMany({ ...query, where: { workspaceId: ws(ctx).workspaceId, personaMemberships: { some: { personaId: p.id } } }, orderBy: { id: 'asc' } }),
    }),
    sizeHistory: t.relation('refreshes', {
      description: 'Size after each refresh, newest first (for size-over-time charts).',
      args: { last: t.arg.int({ required: true, defaultValue: 30 }) },
      query: (args) => ({ orderBy: [{ refreshedAt: 'desc' }, { id: 'desc' }], take: Math.max(1, Math.min(500, args.last)) }),
    }),
    membershipChanges: t.relatedConnection('changes', {
      cursor: 'id',
      maxSize: 200,
      description: 'Who entered or left, newest first.',
      query: () => ({ orderBy: { id: 'desc' } }),
    }),
  }),
});

builder.prismaObject('PersonaRefresh', {
  name: 'PersonaSizePoint',
  fields: (t) => ({
    at: t.expose('refreshedAt', { type: 'DateTime' }),
    size: t.exposeInt('size'),
    entered: t.exposeInt('entered'),
    left: t.exposeInt('left'),
    durationMs: t.exposeInt('durationMs'),
  }),
});

export const MembershipChangeEnum = builder.enumType('PersonaMembershipChangeKind', { values: ['ENTERED', 'LEFT'] as const });

builder.prismaObject('PersonaMembershipChange', {
  fields: (t) => ({
    change: t.expose('change', { type: MembershipChangeEnum }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    contact: t.relation('contact'),
  }),
});

const PersonaPreview = builder.objectRef<{ count: number; sampleContactIds: number[] }>('PersonaPreview').implement({
  fields: (t) => ({
    count: t.exposeInt('count', { description: 'How many contacts match now.' }),
    sample: t.prismaField({
      type: ['Contact'],
      description: 'Some matching contacts (lowest ids first).',
      resolve: (query, p, _args, ctx) => ctx.core.db.prisma.contact.findMany({ ...query, where: { id: { in: p.sampleContactIds }, workspaceId: ws(ctx).workspaceId }, orderBy: { id: 'asc' } }),
    }),
  }),
});

builder.queryFields((t) => ({
  persona: t.prismaField({
    type: 'Persona',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const p = await getPersona(ws(ctx), numericId(String(id), 'Persona', ['id']));
      return ctx.core.db.prisma.persona.findUniqueOrThrow({ ...query, where: { id: p.id } });
    },
  }),
  personaBySlug: t.prismaField({
    type: 'Persona',
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (query, _root, { slug }, ctx) => ctx.core.db.prisma.persona.findFirst({ ...query, where: { workspaceId: ws(ctx).workspaceId, slug } }),
  }),
  personas: t.prismaConnection({
    type: 'Persona',
    cursor: 'id',
    maxSize: 200,
    totalCount: (_c, _a, ctx) => ctx.core.db.prisma.persona.count({ where: { workspaceId: ws(ctx).workspaceId } }),
    resolve: (query, _root, _args, ctx) => ctx.core.db.prisma.persona.findMany({ ...query, where: { workspaceId: ws(ctx).workspaceId }, orderBy: { id: 'asc' } }),
  }),
  previewPersona: t.field({
    type: PersonaPreview,
    description: 'How many contacts a rule selects, and a sample, without saving anything.',
    args: {
      rule: t.arg({ type: PersonaRuleInput, required: true }),
      sampleSize: t.arg.int({ required: true, defaultValue: 10, description: `0–${MAX_PREVIEW_SAMPLE}.` }),
    },
    resolve: (_root, args, ctx) => previewPersona(ws(ctx), { rule: args.rule, sampleSize: args.sampleSize, path: ['rule'] }),
  }),
}));

export { ContactRef };
