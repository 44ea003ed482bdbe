// Persona mutations: create/update/delete rule personas, refresh on demand, recompute profiles.
import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { createPersona, deletePersona, updatePersona } from '../../core/personas/personas.service';
import { refreshPersona } from '../../core/personas/persona-refresh';
import { scheduleWorkspaceRefresh } from '../../core/personas/refresh-scheduler';
import { computeProfiles } from '../../core/profiles/compute-profiles';
import { JobRef } from '../jobs/job.type';
import { PersonaRuleInput } from './persona-rule.input';
import { PersonaRef } from './persona.type';

const CreatePersonaInput = builder.inputType('CreatePersonaInput', {
  fields: (t) => ({
    slug: t.string({ required: true, description: 'Lowercase letters, digits and dashes; unique in the workspace.' }),
    name: t.string({ required: true }),
    description: t.string(),
    rule: t.field({ type: PersonaRuleInput, required: true }),
  }),
});

const UpdatePersonaInput = builder.inputType('UpdatePersonaInput', {
  description: 'Omitted fields are left unchanged. A new rule refreshes the membership at once.',
  fields: (t) => ({
    name: t.string(),
    description: t.string(),
    rule: t.field({ type: PersonaRuleInput }),
  }),
});

const RefreshResult = builder.objectRef<{ personaId: number; size: number; entered: number; left: number; durationMs: number }>('PersonaRefreshResult').implement({
  fields: (t) => ({
    persona: t.prismaField({ type: 'Persona', resolve: (query, r, _a, ctx) => ctx.core.db.prisma.persona.findUniqueOrThrow({ ...query, where: { id: r.personaId } }) }),
    size: t.exposeInt('size'),
    entered: t.exposeInt('entered'),
    left: t.exposeInt('left'),
    durationMs: t.exposeInt('durationMs'),
  }),
});

const ProfilesResult = builder.objectRef<{ contacts: number; computedAt: Date; emailEngagement: boolean; durationMs: number }>('ComputeProfilesResult').implement({
  fields: (t) => ({
    contacts: t.exposeInt('contacts'),
    computedAt: t.expose('computedAt', { type: 'DateTime' }),
    emailEngagement: t.exposeBoolean('emailEngagement', { description: 'False while message_events does not exist (opens and clicks are then 0).' }),
    durationMs: t.exposeInt('durationMs'),
  }),
});

builder.mutationFields((t) => ({
  createPersona: t.prismaField({
    type: 'Persona',
    description: 'Saves a rule persona and computes its membership. BAD_USER_INPUT names each problem by its path in the rule; nothing is saved then.',
    args: { input: t.arg({ type: CreatePersonaInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { persona } = await createPersona(ws(ctx), { ...input, description: input.description ?? null }, ['input']);
      return ctx.core.db.prisma.persona.findUniqueOrThrow({ ...query, where: { id: persona.id } });
    },
  }),
  updatePersona: t.prismaField({
    type: 'Persona',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdatePersonaInput, required: true }) },
    resolve: async (query, _root, { id, input }, ctx) => {
      const personaId = numericId(String(id), 'Persona', ['id']);
      await updatePersona(ws(ctx), personaId, { name: input.name ?? undefined, description: input.description, rule: input.rule ?? undefined }, ['input']);
      return ctx.core.db.prisma.persona.findUniqueOrThrow({ ...query, where: { id: personaId } });
    },
  }),
  deletePersona: t.id({
    description: 'Deletes a persona with its membership and history. FAILED_PRECONDITION while another persona uses it.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      await deletePersona(ws(ctx), numericId(String(id), 'Persona', ['id']));
      return id;
    },
  }),
  refreshPersona: t.field({
    type: RefreshResult,
    description: 'Recomputes one persona from the current profiles and data, now.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => refreshPersona(ws(ctx), numericId(String(id), 'Persona', ['id'])),
  }),
  refreshPersonas: t.prismaField({
    type: 'Job',
    description: 'Queues a background recomputation of every profile and then every persona of the workspace.',
    resolve: async (query, _root, _args, ctx) => {
      const job = await scheduleWorkspaceRefresh(ctx.core, ws(ctx).workspaceId, 0);
      return ctx.core.db.prisma.job.findUniqueOrThrow({ ...query, where: { id: job.id } });
    },
  }),
  computeProfiles: t.field({
    type: ProfilesResult,
    description: 'Recomputes every contact profile now (synchronously; for large workspaces prefer refreshPersonas).',
    authScopes: { admin: true },
    args: { asOf: t.arg({ type: 'DateTime', description: 'Reference time of the windows (default now).' }) },
    resolve: (_root, { asOf }, ctx) => computeProfiles(ws(ctx), { asOf: asOf ?? undefined }),
  }),
}));

export { PersonaRef, JobRef };
