// Association rules (mining and listing) and product recommendations for a contact.
import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { mineAssociationRules, type MinedRule } from '../../core/recommendations/association-rules';
import { recommendations, MAX_RECOMMENDATIONS, type Recommendation } from '../../core/recommendations/recommendations';

const ItemKeyEnum = builder.enumType('BasketItemKey', {
  description: 'What counts as an item in a basket.',
  values: { SKU: { value: 'sku' }, CATEGORY: { value: 'category' } } as const,
});

const AssociationRuleRef = builder.objectRef<MinedRule>('AssociationRule').implement({
  description: 'antecedent ⇒ consequent: baskets with all antecedent items also hold the consequent items.',
  fields: (t) => ({
    antecedent: t.exposeStringList('antecedent'),
    consequent: t.exposeStringList('consequent'),
    support: t.exposeFloat('support', { description: 'Share of baskets holding all the items.' }),
    confidence: t.exposeFloat('confidence', { description: 'Share of antecedent baskets that also hold the consequent.' }),
    lift: t.exposeFloat('lift', { description: 'Confidence divided by the consequent’s own support.' }),
    count: t.exposeInt('count', { description: 'Baskets holding all the items.' }),
  }),
});

const RuleSetRef = builder.objectRef<{ id: number; itemKey: string; transactions: number; minedAt: Date; rules: MinedRule[] }>('AssociationRuleSet').implement({
  fields: (t) => ({
    id: t.exposeInt('id'),
    itemKey: t.exposeString('itemKey'),
    transactions: t.exposeInt('transactions', { description: 'Baskets (purchase events) mined.' }),
    minedAt: t.expose('minedAt', { type: 'DateTime' }),
    rules: t.field({
      type: [AssociationRuleRef],
      args: { first: t.arg.int({ required: true, defaultValue: 100 }) },
      resolve: (s, { first }) => s.rules.slice(0, Math.max(0, Math.min(1000, first))),
    }),
  }),
});

const RecommendationRef = builder.objectRef<Recommendation>('ProductRecommendation').implement({
  fields: (t) => ({
    item: t.exposeString('item'),
    score: t.exposeFloat('score'),
    source: t.exposeString('source', { description: 'rules, persona or popular.' }),
    reason: t.exposeString('reason'),
  }),
});

builder.mutationFields((t) => ({
  mineAssociationRules: t.field({
    type: RuleSetRef,
    description: 'Mines frequent item sets (FP-growth) from purchase baskets and stores the rules that pass the thresholds.',
    args: {
      itemKey: t.arg({ type: ItemKeyEnum, required: true, defaultValue: 'sku' }),
      minSupport: t.arg.float({ required: true }),
      minConfidence: t.arg.float({ required: true }),
      minLift: t.arg.float({ required: true, defaultValue: 1 }),
      since: t.arg({ type: 'DateTime' }),
    },
    resolve: async (_root, args, ctx) => {
      const r = await mineAssociationRules(ws(ctx), { itemKey: args.itemKey, minSupport: args.minSupport, minConfidence: args.minConfidence, minLift: args.minLift, since: args.since });
      return { id: r.ruleSetId, itemKey: args.itemKey, transactions: r.transactions, minedAt: ws(ctx).now(), rules: r.rules };
    },
  }),
}));

builder.queryFields((t) => ({
  associationRules: t.field({
    type: RuleSetRef,
    nullable: true,
    description: 'The newest mined rule set for the item key, strongest rules (by lift) first.',
    args: { itemKey: t.arg({ type: ItemKeyEnum, required: true, defaultValue: 'sku' }) },
    resolve: async (_root, { itemKey }, ctx) => {
      const set = await ctx.core.db.prisma.associationRuleSet.findFirst({
        where: { workspaceId: ws(ctx).workspaceId, itemKey },
        orderBy: [{ minedAt: 'desc' }, { id: 'desc' }],
        include: { rules: { orderBy: [{ lift: 'desc' }, { id: 'asc' }], take: 1000 } },
      });
      if (!set) return null;
      return {
        id: set.id, itemKey: set.itemKey, transactions: set.transactions, minedAt: set.minedAt,
        rules: set.rules.map((r) => ({ antecedent: r.antecedent as string[], consequent: r.consequent as string[], support: r.support, confidence: r.confidence, lift: r.lift, count: r.count })),
      };
    },
  }),
  recommendations: t.field({
    type: [RecommendationRef],
    description: `Up to n (1–${MAX_RECOMMENDATIONS}) products for the contact: from association rules on what they bought, what their personas buy, then best sellers.`,
    args: { contactId: t.arg.id({ required: true }), n: t.arg.int({ required: true, defaultValue: 5 }), itemKey: t.arg({ type: ItemKeyEnum, required: true, defaultValue: 'sku' }) },
    resolve: (_root, args, ctx) => recommendations(ws(ctx), { contactId: numericId(String(args.contactId), 'Contact', ['contactId']), n: args.n, itemKey: args.itemKey }),
  }),
}));
