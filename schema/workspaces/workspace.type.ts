import { builder } from '../builder';
import { ws } from '../context';
import { getWorkspace, updateWorkspace } from '../../core/workspaces/workspaces';
import { parseWorkspaceSettings, type WorkspaceSettings } from '../../core/workspaces/workspace-settings';

const FrequencyCapRef = builder.objectRef<WorkspaceSettings['frequencyCap']>('FrequencyCap').implement({
  description: 'At most maxMessages marketing emails per contact within windowDays, and none within minHoursBetween of the last.',
  fields: (t) => ({
    maxMessages: t.exposeInt('maxMessages'),
    windowDays: t.exposeInt('windowDays'),
    minHoursBetween: t.exposeFloat('minHoursBetween'),
  }),
});

const QuietHoursRef = builder.objectRef<NonNullable<WorkspaceSettings['quietHours']>>('QuietHours').implement({
  fields: (t) => ({ startHour: t.exposeInt('startHour'), endHour: t.exposeInt('endHour') }),
});

const WorkspaceSettingsRef = builder.objectRef<WorkspaceSettings>('WorkspaceSettings').implement({
  fields: (t) => ({
    frequencyCap: t.field({ type: FrequencyCapRef, resolve: (s) => s.frequencyCap }),
    quietHours: t.field({ type: QuietHoursRef, nullable: true, resolve: (s) => s.quietHours }),
    defaultSendHour: t.exposeInt('defaultSendHour'),
    conversionEvent: t.exposeString('conversionEvent'),
    conversionWindowDays: t.exposeInt('conversionWindowDays'),
  }),
});

builder.prismaNode('Workspace', {
  id: { field: 'id' },
  // Only the caller's own workspace is visible; any other id reads as missing (-1 never exists).
  findUnique: (id, ctx) => ({ id: Number(id) === ws(ctx).workspaceId ? Number(id) : -1 }),
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    timezone: t.exposeString('timezone'),
    isDemo: t.exposeBoolean('isDemo'),
    settings: t.field({ type: WorkspaceSettingsRef, resolve: (w) => parseWorkspaceSettings(w.settings) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const FrequencyCapInput = builder.inputType('FrequencyCapInput', {
  fields: (t) => ({ maxMessages: t.int({ required: true }), windowDays: t.int({ required: true }), minHoursBetween: t.float({ required: true }) }),
});
const QuietHoursInput = builder.inputType('QuietHoursInput', {
  fields: (t) => ({ startHour: t.int({ required: true }), endHour: t.int({ required: true }) }),
});
const WorkspaceSettingsInput = builder.inputType('WorkspaceSettingsInput', {
  description: 'Only the given settings change.',
  fields: (t) => ({
    frequencyCap: t.field({ type: FrequencyCapInput }),
    quietHours: t.field({ type: QuietHoursInput, description: 'null removes quiet hours.' }),
    defaultSendHour: t.int(),
    conversionEvent: t.string(),
    conversionWindowDays: t.int(),
  }),
});

builder.queryFields((t) => ({
  workspace: t.prismaField({
    type: 'Workspace',
    description: "The API key's workspace.",
    resolve: async (query, _root, _args, ctx) => {
      await getWorkspace(ws(ctx));
      return ctx.core.db.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: ws(ctx).workspaceId } });
    },
  }),
}));

builder.mutationFields((t) => ({
  updateWorkspace: t.prismaField({
    type: 'Workspace',
    authScopes: { admin: true },
    args: {
      name: t.arg.string(),
      timezone: t.arg.string(),
      settings: t.arg({ type: WorkspaceSettingsInput }),
    },
    resolve: async (query, _root, args, ctx) => {
      const settings = args.settings
        ? Object.fromEntries(Object.entries(args.settings).filter(([, v]) => v !== undefined))
        : undefined;
      await updateWorkspace(ws(ctx), { name: args.name ?? undefined, timezone: args.timezone ?? undefined, settings });
      return ctx.core.db.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: ws(ctx).workspaceId } });
    },
  }),
}));
