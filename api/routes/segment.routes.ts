// A Segment-compatible ingestion endpoint (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/):
// POST /v1/track, /v1/identify, /v1/page, /v1/screen and /v1/batch. Authenticated by API key
// (Bearer, or Basic with the key as the user name, which is what Segment libraries send).
import { defineRoute, type RouteDefinition } from '../../plugins/sdk/define-plugin';
import { ValidationError } from '../../core/errors';
import { trackEvents, type TrackEventInput } from '../../core/events/track-events';
import { upsertContacts } from '../../core/contacts/contact-upsert';
import type { ContactInput } from '../../core/contacts/contact-input';
import type { WorkspaceContext } from '../../core/context';
import { jsonResponse } from '../http-errors';
import { readJsonBody } from './read-json-body';

const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const MAX_BATCH_ITEMS = 10_000;

type SegmentMessage = Record<string, unknown> & { type?: string };

interface Rejection {
  index: number;
  reason: string;
}

export function segmentRoutes(): RouteDefinition[] {
  const single = (type: string): RouteDefinition =>
    defineRoute({
      method: 'POST',
      path: `/v1/${type}`,
      auth: { scope: 'WRITE' },
      handler: async ({ request, workspace }) => {
        const body = await readJsonBody(request, 512 * 1024);
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw ValidationError.at(['body'], 'must be a JSON object');
        return jsonResponse(await ingest(workspace!, [{ ...(body as SegmentMessage), type }]));
      },
    });
  return [
    single('track'),
    single('identify'),
    single('page'),
    single('screen'),
    defineRoute({
      method: 'POST',
      path: '/v1/batch',
      auth: { scope: 'WRITE' },
      handler: async ({ request, workspace }) => {
        const body = (await readJsonBody(request, MAX_BATCH_BYTES)) as { batch?: unknown };
        if (!body || !Array.isArray(body.batch)) throw ValidationError.at(['batch'], 'must be an array of messages');
        if (body.batch.length > MAX_BATCH_ITEMS) throw ValidationError.at(['batch'], `at most ${MAX_BATCH_ITEMS} messages per batch (got ${body.batch.length})`);
        return jsonResponse(await ingest(workspace!, body.batch as SegmentMessage[]));
      },
    }),
  ];
}

/** Maps Segment messages to events and contact upserts; reports what was stored and what was not, by index. */
async function ingest(ws: WorkspaceContext, messages: SegmentMessage[]) {
  const rejected: Rejection[] = [];
  const events: TrackEventInput[] = [];
  const eventIndex: number[] = [];
  const identifies: ContactInput[] = [];
  const identifyIndex: number[] = [];

  messages.forEach((m, index) => {
    if (!m || typeof m !== 'object' || Array.isArray(m)) return rejected.push({ index, reason: 'must be an object' });
    const traits = (obj(m.traits) ?? obj(obj(m.context)?.traits) ?? {}) as Record<string, unknown>;
    const email = str(traits.email) ?? str(obj(m.properties)?.email);
    const externalId = str(m.userId) ?? undefined;
    switch (m.type) {
      case 'track':
      case 'page':
      case 'screen': {
        const props = (obj(m.properties) ?? {}) as Record<string, unknown>;
        const type = m.type === 'track' ? str(m.event) : m.type;
        if (!type) return rejected.push({ index, reason: 'event: required for track' });
        if (m.type !== 'track' && str(m.name)) props.name = m.name;
        events.push({
          type,
          externalId,
          email,
          properties: props,
          value: num(props.revenue) ?? num(props.value) ?? num(props.total) ?? null,
          occurredAt: (str(m.timestamp) ?? str(m.sentAt) ?? null) as string | null,
          idempotencyKey: str(m.messageId) ?? null,
        });
        eventIndex.push(index);
        return;
      }
      case 'identify': {
        if (!externalId && !email) return rejected.push({ index, reason: 'identify needs a userId or traits.email' });
        const context = obj(m.context) ?? {};
        const { email: _e, firstName, first_name, lastName, last_name, ...rest } = traits;
        identifies.push({
          externalId: externalId ?? undefined,
          email: email ?? undefined,
          firstName: str(firstName) ?? str(first_name),
          lastName: str(lastName) ?? str(last_name),
          locale: str(context.locale),
          timezone: str(context.timezone),
          attributes: rest,
        });
        identifyIndex.push(index);
        return;
      }
      default:
        return rejected.push({ index, reason: `type "${String(m.type)}" is not supported (track, identify, page, screen)` });
    }
  });

  let identified = 0;
  const ignoredTraits = new Set<string>();
  // Identify one by one would cost a transaction each; group by key instead. Unknown traits
  // are ignored (reported) rather than failing the message, since Segment traits are open-ended.
  for (const key of ['externalId', 'email'] as const) {
    const group = identifies.map((c, i) => ({ c, i })).filter(({ c }) => (key === 'externalId' ? !!c.externalId : !c.externalId));
    if (!group.length) continue;
    const res = await upsertContacts(ws, { contacts: group.map((g) => g.c), key, source: 'segment', onInvalid: 'skip', unknownAttributes: 'drop', path: [] });
    for (const r of res.rejected) rejected.push({ index: identifyIndex[group[r.index].i], reason: r.issues.map((x) => `${x.path.slice(1).join('.')}: ${x.message}`).join('; ') });
    identified += res.created + res.updated + res.unchanged;
    res.droppedAttributes.forEach((k) => ignoredTraits.add(k));
  }

  const tracked = events.length ? await trackEvents(ws, { events, source: 'segment', path: [] }) : { accepted: 0, duplicates: 0, rejected: [], contactsCreated: 0 };
  for (const r of tracked.rejected) rejected.push({ index: eventIndex[r.index], reason: r.reason });
  rejected.sort((a, b) => a.index - b.index);

  return {
    success: rejected.length === 0,
    received: messages.length,
    accepted: tracked.accepted,
    duplicates: tracked.duplicates,
    identified,
    contactsCreated: tracked.contactsCreated,
    rejected,
    ...(ignoredTraits.size ? { ignoredTraits: [...ignoredTraits] } : {}),
  };
}

const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() && Number.isFinite(Number(v)) ? Number(v) : undefined);
