// K-means discovery: run it, inspect clusters and candidate k values, save a cluster as a persona.
import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { discoverPersonas, type Discovery } from '../../core/clustering/discover-personas';
import { saveClusterAsPersona } from '../../core/clustering/save-cluster';
import { PersonaRuleInput } from './persona-rule.input';

const DiscoveredCluster = builder.objectRef<Discovery['clusters'][number]>('DiscoveredCluster').implement({
  fields: (t) => ({
    index: t.exposeInt('index'),
    size: t.exposeInt('size'),
    label: t.exposeString('label', { description: 'Generated plain-language name, e.g. "lapsed big spenders".' }),
    centroid: t.field({ type: 'JSON', description: 'Feature → centroid value in original units (days, purchases, money...).', resolve: (c) => c.centroid }),
  }),
});

const Candidate = builder.objectRef<Discovery['candidates'][number]>('DiscoveryCandidate').implement({
  fields: (t) => ({
    k: t.exposeInt('k'),
    inertia: t.exposeFloat('inertia'),
    silhouette: t.exposeFloat('silhouette', { nullable: true, description: 'Mean silhouette on a sample of up to 2,000 contacts.' }),
  }),
});

const DiscoveryRef = builder.objectRef<Discovery>('PersonaDiscovery').implement({
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Pass to savePersonaFromCluster.' }),
    k: t.exposeInt('k'),
    features: t.exposeStringList('features'),
    contacts: t.exposeInt('contacts', { description: 'Contacts clustered.' }),
    inertia: t.exposeFloat('inertia', { description: 'Sum of squared distances to centroids, in standardised units.' }),
    silhouette: t.exposeFloat('silhouette', { nullable: true }),
    clusters: t.field({ type: [DiscoveredCluster], resolve: (d) => d.clusters }),
    candidates: t.field({ type: [Candidate], description: 'One entry per k of kRange, to help choose k.', resolve: (d) => d.candidates }),
  }),
});

const KRangeInput = builder.inputType('KRangeInput', {
  fields: (t) => ({ from: t.int({ required: true }), to: t.int({ required: true }) }),
});

builder.mutationFields((t) => ({
  discoverPersonas: t.field({
    type: DiscoveryRef,
    description: 'Clusters profiled contacts with k-means++ (several restarts) on standardised features: recency, frequency, monetary, averageOrderValue, sessions, events30d, events90d, opens90d, clicks90d, tenureDays, interest:<category>, attribute:<key>[=<value>].',
    args: {
      k: t.arg.int({ required: true }),
      features: t.arg.stringList({ required: true }),
      kRange: t.arg({ type: KRangeInput }),
      restarts: t.arg.int({ required: true, defaultValue: 10 }),
      seed: t.arg.int({ required: true, defaultValue: 0 }),
      population: t.arg({ type: PersonaRuleInput, description: 'Only contacts matching this rule.' }),
    },
    resolve: (_root, args, ctx) =>
      discoverPersonas(ws(ctx), { k: args.k, features: args.features, kRange: args.kRange ?? null, nInit: args.restarts, seed: args.seed, population: args.population ?? undefined }),
  }),
  savePersonaFromCluster: t.prismaField({
    type: 'Persona',
    description: 'Saves a discovered cluster as a persona whose members are the contacts nearest its centroid.',
    args: {
      discoveryId: t.arg.int({ required: true }),
      cluster: t.arg.int({ required: true }),
      slug: t.arg.string({ required: true }),
      name: t.arg.string({ description: 'Defaults to the generated label.' }),
      description: t.arg.string(),
    },
    resolve: async (query, _root, args, ctx) => {
      const { persona } = await saveClusterAsPersona(ws(ctx), args, []);
      return ctx.core.db.prisma.persona.findUniqueOrThrow({ ...query, where: { id: persona.id } });
    },
  }),
}));

export { numericId };
