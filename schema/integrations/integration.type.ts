import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import {
  createIntegration, deleteIntegration, getIntegrationRow, listIntegrations, secretFieldsSet, updateIntegration,
} from '../../core/integrations/integration-configs';
import { enqueueJob } from '../../core/jobs/job-queue';
import { CONNECTOR_SYNC_JOB } from '../../core/connectors/connector-sync.job';
import { FailedPreconditionError } from '../../core/errors';

export const IntegrationKindEnum = builder.enumType('IntegrationKind', { values: ['EMAIL_PROVIDER', 'CONNECTOR'] as const });

const ExtensionInfoRef = builder.objectRef<{ kind: 'EMAIL_PROVIDER' | 'CONNECTOR'; key: string; label: string; owner: string }>('Extension').implement({
  description: 'An extension a plugin registered (an email provider, a connector).',
  fields: (t) => ({
    kind: t.expose('kind', { type: IntegrationKindEnum }),
    key: t.exposeString('key'),
    label: t.exposeString('label'),
    plugin: t.exposeString('owner', { description: 'The plugin that registered it.' }),
  }),
});

builder.prismaNode('IntegrationConfig', {
  name: 'Integration',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    kind: t.field({ type: IntegrationKindEnum, resolve: (r) => r.kind as 'EMAIL_PROVIDER' | 'CONNECTOR' }),
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    settings: t.field({ type: 'JSON', description: 'Non-secret settings.', resolve: (r) => r.settings ?? {} }),
    secretFields: t.stringList({ description: 'Secret settings that are set (values are never returned).', resolve: (r, _a, ctx) => secretFieldsSet(ws(ctx), r) }),
    enabled: t.exposeBoolean('enabled'),
    isDefault: t.exposeBoolean('isDefault'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  integrations: t.prismaField({
    type: ['IntegrationConfig'],
    authScopes: { admin: true },
    args: { kind: t.arg({ type: IntegrationKindEnum }) },
    resolve: (_q, _root, args, ctx) => listIntegrations(ws(ctx), args.kind ?? undefined),
  }),
  extensions: t.field({
    type: [ExtensionInfoRef],
    description: 'Email providers and connectors available to configure.',
    resolve: (_root, _args, ctx) => [
      ...ctx.core.extensions.emailProviders.list().map((e) => ({ kind: 'EMAIL_PROVIDER' as const, key: e.key, label: e.label, owner: ctx.core.extensions.emailProviders.ownerOf(e.key) ?? '' })),
      ...ctx.core.extensions.connectors.list().map((e) => ({ kind: 'CONNECTOR' as const, key: e.key, label: e.label, owner: ctx.core.extensions.connectors.ownerOf(e.key) ?? '' })),
    ],
  }),
}));

builder.mutationFields((t) => ({
  createIntegration: t.prismaField({
    type: 'IntegrationConfig',
    authScopes: { admin: true },
    description: 'Configures an email provider or connector for the workspace. Secret fields are encrypted at rest and never returned.',
    args: {
      input: t.arg({
        required: true,
        type: builder.inputType('CreateIntegrationInput', {
          fields: (f) => ({
            kind: f.field({ type: IntegrationKindEnum, required: true }),
            key: f.string({ required: true, description: 'The extension key, e.g. sendgrid, smtp, outbox.' }),
            name: f.string({ required: true }),
            config: f.field({ type: 'JSON', required: true, description: 'Settings and secrets, validated by the extension.' }),
            isDefault: f.boolean(),
          }),
        }),
      }),
    },
    resolve: (_q, _root, { input }, ctx) =>
      createIntegration(ws(ctx), { ...input, config: (input.config ?? {}) as Record<string, unknown>, isDefault: input.isDefault ?? undefined }),
  }),
  updateIntegration: t.prismaField({
    type: 'IntegrationConfig',
    authScopes: { admin: true },
    args: {
      id: t.arg.id({ required: true }),
      name: t.arg.string(),
      config: t.arg({ type: 'JSON', description: 'Merged over the current configuration; omit a secret to keep it.' }),
      enabled: t.arg.boolean(),
      isDefault: t.arg.boolean(),
    },
    resolve: (_q, _root, args, ctx) =>
      updateIntegration(ws(ctx), numericId(String(args.id), 'Integration', ['id']), {
        name: args.name ?? undefined,
        config: (args.config ?? undefined) as Record<string, unknown> | undefined,
        enabled: args.enabled ?? undefined,
        isDefault: args.isDefault ?? undefined,
      }),
  }),
  syncIntegration: t.prismaField({
    type: 'Job',
    description: 'Starts a background sync of a connector (resumes from its cursor). Follow it with jobUpdated.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const row = await getIntegrationRow(ws(ctx), numericId(String(id), 'Integration', ['id']));
      if (row.kind !== 'CONNECTOR') throw new FailedPreconditionError(`integration "${row.name}" is not a connector`);
      const job = await enqueueJob(ctx.core, { workspaceId: row.workspaceId, kind: CONNECTOR_SYNC_JOB, payload: { integrationId: row.id }, dedupeKey: `integration:${row.id}` });
      return ctx.core.db.prisma.job.findUniqueOrThrow({ ...query, where: { id: job.id } });
    },
  }),
  deleteIntegration: t.id({
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      await deleteIntegration(ws(ctx), numericId(String(id), 'Integration', ['id']));
      return id;
    },
  }),
}));
