// The demo workspace: contacts with demographic attributes and a few months of realistic
// shopping behaviour, then personas and two sent campaigns with their engagement
// (demo-campaigns.ts), generated from a fixed seed so every demo looks the same.
//
// The simulation gives each contact a region (with its time zone), an activity level, a
// preferred hour of day, category interests and a lifecycle (some stop coming back), then
// plays out sessions day by day: page views, product views in favoured categories, carts,
// and purchases whose prices depend on the category.
import type { CoreContext } from '../../core/context';
import { forWorkspace } from '../../core/context';
import { createWorkspace } from '../../core/workspaces/workspaces';
import { createInitialApiKey } from '../../core/workspaces/api-keys';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import { upsertContacts } from '../../core/contacts/contact-upsert';
import type { ContactInput } from '../../core/contacts/contact-input';
import { trackEvents, type TrackEventInput } from '../../core/events/track-events';
import { seededRandom, type Random } from './seeded-random';
import { seedDemoCampaigns } from './demo-campaigns';

const FIRST = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Leo', 'Chloé', 'Hugo', 'Sofia', 'Jonas', 'Yuki', 'Haruto', 'Amelia', 'Jack', 'Isla', 'Oscar', 'Léa', 'Lena', 'Ben', 'Grace', 'Ethan', 'Zoe', 'Felix', 'Nora', 'Aiko', 'Sam', 'Maya', 'Theo'];
const LAST = ['Smith', 'Martin', 'Müller', 'Dubois', 'Tanaka', 'Brown', 'Garcia', 'Wilson', 'Bernard', 'Schmidt', 'Suzuki', 'Taylor', 'Moreau', 'Fischer', 'Sato', 'Johnson', 'Lee', 'Walker', 'Petit', 'Weber', 'Kato', 'Clark', 'Roux', 'Wagner', 'Young', 'King', 'Laurent', 'Becker', 'Hall', 'Wright'];
const REGIONS = [
  ['uk', 'Europe/London', 'en-GB', 0.24],
  ['france', 'Europe/Paris', 'fr-FR', 0.16],
  ['germany', 'Europe/Berlin', 'de-DE', 0.14],
  ['us_east', 'America/New_York', 'en-US', 0.18],
  ['us_west', 'America/Los_Angeles', 'en-US', 0.12],
  ['japan', 'Asia/Tokyo', 'ja-JP', 0.08],
  ['australia', 'Australia/Sydney', 'en-AU', 0.08],
] as const;
const OCCUPATIONS = ['student', 'engineer', 'teacher', 'nurse', 'designer', 'manager', 'retail', 'retired', 'self_employed', 'other'] as const;
const CATEGORIES = [
  ['home', 35, 0.6], ['fashion', 55, 0.7], ['electronics', 180, 0.5], ['beauty', 28, 0.5],
  ['sports', 70, 0.4], ['books', 18, 0.4], ['kitchen', 45, 0.5], ['toys', 30, 0.3],
] as const;

export interface DemoSeedOptions {
  contacts?: number;
  days?: number;
  seed?: number;
  /** Base URL of the tracking and unsubscribe links in the demo campaigns' messages (the server's PUBLIC_URL). */
  publicUrl: string;
}

export interface DemoSeedResult {
  workspaceId: number;
  adminKey: string;
  contacts: number;
  events: number;
  personas: number;
  campaigns: number;
}

/** Creates the demo workspace with an admin key, attribute definitions, contacts, events, personas and campaigns. */
export async function seedDemoWorkspace(core: CoreContext, opts: DemoSeedOptions): Promise<DemoSeedResult> {
  const nContacts = opts.contacts ?? 2000;
  const days = opts.days ?? 120;
  const rnd = seededRandom(opts.seed ?? 42);
  const workspace = await createWorkspace(core, { name: 'Demo shop', slug: `demo-${Date.now().toString(36)}`, timezone: 'Europe/London', isDemo: true });
  const { secret } = await createInitialApiKey(core, workspace.id, 'demo admin key', 'ADMIN');
  const ctx = forWorkspace(core, workspace.id, { type: 'system', name: 'demo-seed' });

  await defineAttribute(ctx, { key: 'age', type: 'NUMBER', label: 'Age' });
  await defineAttribute(ctx, { key: 'gender', type: 'ENUM', label: 'Gender', enumValues: ['female', 'male', 'non_binary', 'undisclosed'] });
  await defineAttribute(ctx, { key: 'region', type: 'ENUM', label: 'Region', enumValues: REGIONS.map((r) => r[0]) });
  await defineAttribute(ctx, { key: 'occupation', type: 'ENUM', label: 'Occupation', enumValues: [...OCCUPATIONS] });
  await defineAttribute(ctx, { key: 'income', type: 'NUMBER', label: 'Yearly income (EUR)' });
  await defineAttribute(ctx, { key: 'loyalty_member', type: 'BOOLEAN', label: 'Loyalty programme member' });
  await defineAttribute(ctx, { key: 'birthday', type: 'DATE', label: 'Birthday' });

  const now = core.now();
  const start = now.getTime() - days * 86400_000;
  const people = Array.from({ length: nContacts }, (_, i) => makePerson(rnd, i, start, now.getTime()));

  const inputs: ContactInput[] = people.map((p) => p.contact);
  for (let i = 0; i < inputs.length; i += 5000) {
    await upsertContacts(ctx, { contacts: inputs.slice(i, i + 5000), key: 'email', source: 'demo', onInvalid: 'reject' });
  }

  let eventCount = 0;
  let batch: TrackEventInput[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const r = await trackEvents(ctx, { events: batch, source: 'demo' });
    eventCount += r.accepted;
    batch = [];
  };
  for (const p of people) {
    for (const e of simulate(rnd, p, now.getTime())) {
      batch.push(e);
      if (batch.length >= 5000) await flush();
    }
  }
  await flush();
  const sent = await seedDemoCampaigns(core, workspace.id, rnd, opts.publicUrl);
  return { workspaceId: workspace.id, adminKey: secret, contacts: nContacts, events: eventCount, personas: sent.personas, campaigns: sent.campaigns };
}

interface Person {
  contact: ContactInput & { email: string };
  tzOffsetHours: number;
  createdAt: number;
  activity: number;
  preferredLocalHour: number;
  interests: number[];
  lapseAt: number;
}

function makePerson(rnd: Random, i: number, start: number, end: number): Person {
  const first = rnd.pick(FIRST);
  const last = rnd.pick(LAST);
  const region = rnd.weighted(REGIONS.map((r) => [r, r[3]] as const));
  const age = Math.max(18, Math.min(82, Math.round(38 + 13 * rnd.normal())));
  const occupation = age > 66 ? 'retired' : age < 23 ? rnd.weighted([['student', 6], ['retail', 2], ['other', 1]] as const) : rnd.pick(OCCUPATIONS.filter((o) => o !== 'retired' && o !== 'student'));
  const income = Math.round(Math.exp(10.4 + 0.45 * rnd.normal() + (occupation === 'manager' || occupation === 'engineer' ? 0.35 : 0)) / 100) * 100;
  const createdAt = start + rnd.next() * (end - start) * 0.85;
  const interests = CATEGORIES.map(() => rnd.next() ** 2);
  const birthYear = new Date(end).getUTCFullYear() - age;
  const lapsing = rnd.next() < 0.3;
  return {
    contact: {
      email: `${ascii(first)}.${ascii(last)}.${i}@example.com`,
      firstName: first,
      lastName: last,
      locale: region[2],
      timezone: region[1],
      consentStatus: rnd.weighted([['SUBSCRIBED', 82], ['UNSUBSCRIBED', 8], ['PENDING', 4], ['UNKNOWN', 6]] as const),
      consentSource: 'signup_form',
      attributes: {
        age,
        gender: rnd.weighted([['female', 48], ['male', 46], ['non_binary', 3], ['undisclosed', 3]] as const),
        region: region[0],
        occupation,
        income,
        loyalty_member: rnd.next() < 0.35,
        birthday: `${birthYear}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
      },
    },
    tzOffsetHours: tzOffset(region[1]),
    createdAt,
    activity: Math.exp(-2.0 + 0.9 * rnd.normal()),
    preferredLocalHour: rnd.weighted([[8, 2], [9, 2], [12, 3], [13, 3], [18, 3], [19, 4], [20, 5], [21, 4], [22, 2]] as const),
    interests,
    lapseAt: lapsing ? createdAt + rnd.next() * (end - createdAt) : Infinity,
  };
}

function* simulate(rnd: Random, p: Person, end: number): Generator<TrackEventInput> {
  const email = p.contact.email;
  let seq = 0;
  const key = () => `demo:${email}:${seq++}`;
  yield { type: 'signup', email, occurredAt: new Date(p.createdAt), idempotencyKey: key() };
  const interestTotal = p.interests.reduce((a, b) => a + b, 0);
  for (let day = Math.floor(p.createdAt / 86400_000) + 1; day * 86400_000 < end; day++) {
    if (day * 86400_000 > p.lapseAt) break;
    const sessions = rnd.poisson(p.activity * (new Date(day * 86400_000).getUTCDay() % 6 === 0 ? 1.4 : 1));
    for (let s = 0; s < sessions; s++) {
      const localHour = (p.preferredLocalHour + Math.round(1.5 * rnd.normal()) + 24) % 24;
      let t = day * 86400_000 + ((localHour - p.tzOffsetHours + 24) % 24) * 3600_000 + rnd.int(0, 3599) * 1000;
      if (t >= end) continue;
      yield { type: 'page_view', email, occurredAt: new Date(t), properties: { path: '/' }, idempotencyKey: key() };
      const views = 1 + rnd.poisson(2);
      for (let v = 0; v < views; v++) {
        let r = rnd.next() * interestTotal;
        let c = 0;
        while ((r -= p.interests[c]) > 0 && c < CATEGORIES.length - 1) c++;
        const [category, price, buyRate] = CATEGORIES[c];
        const sku = `${category.slice(0, 3).toUpperCase()}-${100 + rnd.int(0, 39)}`;
        t += rnd.int(20, 240) * 1000;
        yield { type: 'product_view', email, occurredAt: new Date(t), properties: { category, sku }, idempotencyKey: key() };
        if (rnd.next() < 0.25 * buyRate + 0.05) {
          t += rnd.int(10, 120) * 1000;
          const amount = Math.round(price * Math.exp(0.4 * rnd.normal()) * 100) / 100;
          yield { type: 'add_to_cart', email, occurredAt: new Date(t), properties: { category, sku, price: amount }, idempotencyKey: key() };
          if (rnd.next() < 0.55) {
            t += rnd.int(60, 900) * 1000;
            yield { type: 'purchase', email, occurredAt: new Date(t), value: amount, properties: { category, sku, quantity: 1, order_id: key() }, idempotencyKey: key() };
          }
        }
      }
    }
  }
}

function ascii(s: string): string {
  return s.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

function tzOffset(zone: string): number {
  const d = new Date();
  const local = new Date(d.toLocaleString('en-US', { timeZone: zone }));
  const utc = new Date(d.toLocaleString('en-US', { timeZone: 'UTC' }));
  return Math.round((local.getTime() - utc.getTime()) / 3600_000);
}
