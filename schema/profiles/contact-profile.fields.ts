// Contact.profile and Contact.personas, batched with dataloaders so that a page of contacts
// costs one statement per field whatever its size (see tests/personas/statement-count.test.ts).
import { builder } from '../builder';
import { ws } from '../context';
import { ContactRef } from '../contacts/contact.type';
import { PersonaRef } from '../personas/persona.type';
import { LIFECYCLE_STAGES } from '../../core/personas/rule-fields';
import type { ContactProfile } from '../../prisma/generated/client/client';

export const LifecycleStageEnum = builder.enumType('LifecycleStage', {
  values: {
    NEW: { description: 'First seen within the last 30 days.' },
    ACTIVE: { description: 'Active within the last 30 days.' },
    AT_RISK: { description: 'Last active 31–90 days ago.' },
    LAPSED: { description: 'No activity for over 90 days.' },
  },
});

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const daysSince = (at: Date | null, now: Date) => (at ? Math.floor((now.getTime() - at.getTime()) / 86_400_000) : null);

const EventTypeCountRef = builder.prismaObject('ContactEventCount', {
  name: 'EventTypeCount',
  fields: (t) => ({
    type: t.exposeString('type'),
    last7Days: t.exposeInt('count7d'),
    last30Days: t.exposeInt('count30d'),
    last90Days: t.exposeInt('count90d'),
  }),
});

const CategoryInterestRef = builder.prismaObject('ContactInterest', {
  name: 'CategoryInterest',
  fields: (t) => ({
    category: t.exposeString('category'),
    score: t.exposeFloat('score', { description: 'Share (0–1) of the contact’s recent product attention.' }),
    views: t.exposeInt('views'),
    purchases: t.exposeInt('purchases'),
  }),
});

export const ContactProfileRef = builder.prismaObject('ContactProfile', {
  description: 'Computed features of a contact (see docs/personas.md for definitions and refresh policy).',
  fields: (t) => ({
    computedAt: t.expose('computedAt', { type: 'DateTime', description: 'The reference time of the 7/30/90-day windows.' }),
    lifecycleStage: t.expose('lifecycleStage', { type: LifecycleStageEnum }),
    daysSinceLastPurchase: t.int({ nullable: true, resolve: (p, _a, ctx) => daysSince(p.lastPurchaseAt, ctx.core.now()) }),
    daysSinceLastActivity: t.int({ nullable: true, resolve: (p, _a, ctx) => daysSince(p.lastActivityAt, ctx.core.now()) }),
    firstSeenAt: t.expose('firstSeenAt', { type: 'DateTime', nullable: true }),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime', nullable: true }),
    lastPurchaseAt: t.expose('lastPurchaseAt', { type: 'DateTime', nullable: true }),
    purchaseCount: t.exposeInt('purchaseCount'),
    sessionCount: t.exposeInt('sessionCount'),
    monetaryTotal: t.float({ resolve: (p) => Number(p.monetaryTotal) }),
    averageOrderValue: t.float({ nullable: true, resolve: (p) => num(p.averageOrderValue) }),
    recencyScore: t.exposeInt('recencyScore', { nullable: true }),
    frequencyScore: t.exposeInt('frequencyScore', { nullable: true }),
    monetaryScore: t.exposeInt('monetaryScore', { nullable: true }),
    rfmCode: t.exposeString('rfmCode', { nullable: true }),
    events7d: t.exposeInt('events7d'),
    events30d: t.exposeInt('events30d'),
    events90d: t.exposeInt('events90d'),
    opens30d: t.exposeInt('opens30d'),
    opens90d: t.exposeInt('opens90d'),
    clicks30d: t.exposeInt('clicks30d'),
    clicks90d: t.exposeInt('clicks90d'),
    preferredHour: t.exposeInt('preferredHour', { nullable: true, description: 'Most active hour (0–23) in the contact’s local time.' }),
    topInterest: t.exposeString('topInterest', { nullable: true }),
    eventCounts: t.loadableList({
      type: EventTypeCountRef,
      description: 'Events per type over 7/30/90 days.',
      load: async (contactIds: number[], ctx) => {
        const rows = await ctx.core.db.prisma.contactEventCount.findMany({ where: { contactId: { in: contactIds }, workspaceId: ws(ctx).workspaceId }, orderBy: [{ count90d: 'desc' }, { type: 'asc' }] });
        return contactIds.map((id) => rows.filter((r) => r.contactId === id));
      },
      resolve: (p) => p.contactId,
    }),
    interests: t.loadableList({
      type: CategoryInterestRef,
      description: 'Interest per product category, strongest first.',
      load: async (contactIds: number[], ctx) => {
        const rows = await ctx.core.db.prisma.contactInterest.findMany({ where: { contactId: { in: contactIds }, workspaceId: ws(ctx).workspaceId }, orderBy: [{ score: 'desc' }, { category: 'asc' }] });
        return contactIds.map((id) => rows.filter((r) => r.contactId === id));
      },
      resolve: (p) => p.contactId,
    }),
  }),
});

builder.objectFields(ContactRef, (t) => ({
  profile: t.loadable({
    type: ContactProfileRef,
    nullable: true,
    description: 'Computed features; null until profiles are first computed for this contact.',
    load: async (contactIds: number[], ctx) => {
      const rows = await ctx.core.db.prisma.contactProfile.findMany({ where: { contactId: { in: contactIds }, workspaceId: ws(ctx).workspaceId } });
      const byId = new Map<number, ContactProfile>(rows.map((r) => [r.contactId, r]));
      return contactIds.map((id) => byId.get(id) ?? null);
    },
    resolve: (c) => c.id,
  }),
  personas: t.loadableList({
    type: PersonaRef,
    description: 'The personas this contact currently belongs to.',
    load: async (contactIds: number[], ctx) => {
      const rows = await ctx.core.db.prisma.personaMember.findMany({
        where: { workspaceId: ws(ctx).workspaceId, contactId: { in: contactIds } },
        include: { persona: true },
        orderBy: { personaId: 'asc' },
      });
      return contactIds.map((id) => rows.filter((r) => r.contactId === id).map((r) => r.persona));
    },
    resolve: (c) => c.id,
  }),
}));

export { LIFECYCLE_STAGES };
