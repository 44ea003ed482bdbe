import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { MAX_TRACK_BATCH, trackEvents, type TrackEventsResult } from '../../core/events/track-events';
import { ValidationError } from '../../core/errors';

/** A malformed id must reject only its own item, so it becomes an id core refuses (NaN). */
function lenientId(globalId: string): number {
  try {
    return numericId(globalId, 'Contact', []);
  } catch {
    return Number.NaN;
  }
}

const TrackEventInput = builder.inputType('TrackEventInput', {
  description: 'An event. Identify the contact by contactId, externalId or email; an unknown external id or email creates the contact.',
  fields: (t) => ({
    type: t.string({ required: true, description: 'Event name, e.g. purchase, add_to_cart, page_view.' }),
    contactId: t.id(),
    externalId: t.string(),
    email: t.string(),
    properties: t.field({ type: 'JSON' }),
    value: t.float({ description: 'Monetary value, e.g. the revenue of a purchase.' }),
    occurredAt: t.field({ type: 'DateTime', description: 'Defaults to now.' }),
    idempotencyKey: t.string({ description: 'Unique per event; a repeat is skipped and counted as a duplicate.' }),
  }),
});

const RejectedEventRef = builder.objectRef<TrackEventsResult['rejected'][number]>('RejectedEvent').implement({
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position of the event in the input list.' }),
    path: t.stringList({ resolve: (r) => r.path.map(String) }),
    reason: t.exposeString('reason'),
  }),
});

const TrackEventsResultRef = builder.objectRef<TrackEventsResult>('TrackEventsResult').implement({
  description: 'Valid events are stored even when others in the batch are rejected.',
  fields: (t) => ({
    accepted: t.exposeInt('accepted'),
    duplicates: t.exposeInt('duplicates'),
    contactsCreated: t.exposeInt('contactsCreated'),
    rejected: t.field({ type: [RejectedEventRef], resolve: (r) => r.rejected }),
  }),
});

builder.mutationFields((t) => ({
  trackEvents: t.field({
    type: TrackEventsResultRef,
    description: `Records up to ${MAX_TRACK_BATCH} events. Malformed items are rejected with their index and reason; the rest are stored.`,
    args: { events: t.arg({ type: [TrackEventInput], required: true }) },
    complexity: (args) => 1 + Math.ceil((args.events?.length ?? 0) / 100),
    resolve: async (_root, args, ctx) => {
      if (args.events.length > MAX_TRACK_BATCH) throw ValidationError.at(['events'], `at most ${MAX_TRACK_BATCH} events per call`);
      return trackEvents(ws(ctx), {
        source: 'api',
        path: ['events'],
        events: args.events.map((e) => ({
          ...e,
          contactId: e.contactId == null ? null : lenientId(String(e.contactId)),
          properties: e.properties as Record<string, unknown> | null | undefined,
        })),
      });
    },
  }),
}));
