// Model targets: what a propensity model predicts, with their active version and history.
import { builder } from '../builder';
import { ws } from '../context';
import { defineModelTarget } from '../../core/models/model-targets';
import { FILTER_OPS, type PropertyFilter } from '../../core/models/property-filters';
import { inInput } from './in-input';

export const ModelTargetKindEnum = builder.enumType('ModelTargetKind', {
  values: {
    OPEN: { description: 'Opens an email (message_events, machine opens excluded) within the horizon.' },
    CLICK: { description: 'Clicks a link in an email within the horizon.' },
    PURCHASE: { description: 'Tracks a `purchase` event within the horizon.' },
    CHURN: { description: 'Has no activity at all (events, opens, clicks) within the horizon.' },
    EVENT: { description: 'Tracks the event type `eventType`, matching `propertyFilters`, within the horizon.' },
  },
});

export const PropertyFilterOpEnum = builder.enumType('PropertyFilterOp', { values: FILTER_OPS });

const PropertyFilterRef = builder.objectRef<PropertyFilter>('PropertyFilter').implement({
  description: 'A condition on an event property.',
  fields: (t) => ({
    property: t.exposeString('property'),
    op: t.field({ type: PropertyFilterOpEnum, resolve: (f) => f.op }),
    value: t.field({ type: 'JSON', nullable: true, resolve: (f) => f.value ?? null }),
  }),
});

export const PropertyFilterInput = builder.inputType('PropertyFilterInput', {
  fields: (t) => ({
    property: t.string({ required: true, description: 'Property name; dots reach into nested objects (`shipping.country`).' }),
    op: t.field({ type: PropertyFilterOpEnum, required: true }),
    value: t.field({ type: 'JSON', description: 'A string, number or boolean; a list for IN; omitted for EXISTS.' }),
  }),
});

export const ModelTargetRef = builder.prismaNode('ModelTarget', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  description: 'What a propensity model predicts: "does the contact <kind> within horizonDays days?".',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Stable name used by contact scores, persona rules and audiences.' }),
    kind: t.expose('kind', { type: ModelTargetKindEnum }),
    eventType: t.exposeString('eventType', { nullable: true }),
    propertyFilters: t.field({ type: [PropertyFilterRef], select: { propertyFilters: true }, resolve: (m) => (Array.isArray(m.propertyFilters) ? (m.propertyFilters as unknown as PropertyFilter[]) : []) }),
    horizonDays: t.exposeInt('horizonDays'),
    scoreRefreshHours: t.exposeInt('scoreRefreshHours'),
    lastScoredAt: t.expose('lastScoredAt', { type: 'DateTime', nullable: true }),
    activeModel: t.relation('activeModel', { nullable: true, description: 'The version that scores contacts.' }),
    models: t.relatedConnection('models', { cursor: 'id', query: { orderBy: { version: 'desc' } }, description: 'Every trained version, newest first.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  modelTargets: t.prismaField({
    type: ['ModelTarget'],
    description: 'Every model target of the workspace.',
    resolve: (query, _root, _args, ctx) => ctx.core.db.prisma.modelTarget.findMany({ ...query, where: { workspaceId: ws(ctx).workspaceId }, orderBy: { key: 'asc' } }),
  }),
  modelTarget: t.prismaField({
    type: 'ModelTarget',
    nullable: true,
    args: { key: t.arg.string({ required: true }) },
    resolve: (query, _root, { key }, ctx) => ctx.core.db.prisma.modelTarget.findFirst({ ...query, where: { workspaceId: ws(ctx).workspaceId, key } }),
  }),
}));

const DefineModelTargetInput = builder.inputType('DefineModelTargetInput', {
  fields: (t) => ({
    key: t.string({ description: 'Defaults to `<kind>-<horizon>d`, e.g. `purchase-30d`.' }),
    kind: t.field({ type: ModelTargetKindEnum, required: true }),
    horizonDays: t.int({ required: true }),
    eventType: t.string({ description: 'EVENT targets: the event type that counts.' }),
    propertyFilters: t.field({ type: [PropertyFilterInput], description: 'EVENT targets: every filter must match.' }),
    scoreRefreshHours: t.int({ description: 'Scores are recomputed when older than this (default 24).' }),
  }),
});

builder.mutationFields((t) => ({
  defineModelTarget: t.prismaField({
    type: 'ModelTarget',
    description: 'Defines what to predict. Built-in kinds need only a horizon; EVENT takes an event type and property filters.',
    args: { input: t.arg({ type: DefineModelTargetInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const target = await inInput(() =>
        defineModelTarget(ws(ctx), {
          key: input.key,
          kind: input.kind,
          horizonDays: input.horizonDays,
          eventType: input.eventType,
          propertyFilters: input.propertyFilters?.map((f) => ({ property: f.property, op: f.op, value: f.value as PropertyFilter['value'] })),
          scoreRefreshHours: input.scoreRefreshHours,
        }),
      );
      return ctx.core.db.prisma.modelTarget.findUniqueOrThrow({ ...query, where: { id: target.id } });
    },
  }),
}));
