import type { Issue, IssuePath } from '../errors';
import type { AttributeDef } from '../attributes/attribute-definitions';
import { checkAttributes, type AttributeValue } from '../attributes/attribute-values';
import { isValidTimeZone } from '../util/time-zones';
import { checkEmail } from './email';

export type ConsentStatus = 'UNKNOWN' | 'PENDING' | 'SUBSCRIBED' | 'UNSUBSCRIBED';
const CONSENT = new Set<ConsentStatus>(['UNKNOWN', 'PENDING', 'SUBSCRIBED', 'UNSUBSCRIBED']);

/** A contact as callers describe it. Absent fields are left alone; null clears (where allowed). */
export interface ContactInput {
  email?: string | null;
  externalId?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  locale?: string | null;
  timezone?: string | null;
  attributes?: Record<string, unknown> | null;
  consentStatus?: ConsentStatus | string | null;
  consentSource?: string | null;
  consentAt?: Date | string | null;
}

/** Checked, normalised fields ready to write. `undefined` means "not provided". */
export interface ContactFields {
  email?: string | null;
  emailNormalized?: string | null;
  externalId?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  locale?: string | null;
  timezone?: string | null;
  /** A JSON merge patch over the stored attributes (null values remove keys). */
  attributes?: Record<string, AttributeValue>;
  consentStatus?: ConsentStatus;
  consentSource?: string | null;
  consentAt?: Date | null;
}

export interface CheckOptions {
  /** Which identity a row must carry (upserts are keyed by one of them). */
  requireIdentity?: 'email' | 'externalId' | 'either';
  unknownAttributes?: 'error' | 'drop';
  now?: Date;
}

/** Validates one contact input; issues carry paths under `path`. */
export function checkContactInput(
  raw: ContactInput,
  defs: Map<string, AttributeDef>,
  path: IssuePath,
  opts: CheckOptions = {},
): { fields: ContactFields; issues: Issue[]; droppedAttributes: string[] } {
  const issues: Issue[] = [];
  const fields: ContactFields = {};
  let droppedAttributes: string[] = [];
  const at = (k: string) => [...path, k];

  if (raw.email !== undefined) {
    if (raw.email === null || raw.email === '') {
      fields.email = null;
      fields.emailNormalized = null;
    } else {
      const check = checkEmail(raw.email);
      if (check.ok) {
        fields.email = check.email;
        fields.emailNormalized = check.normalized;
      } else issues.push({ path: at('email'), message: check.message });
    }
  }
  if (raw.externalId !== undefined) {
    const v = raw.externalId === null ? null : String(raw.externalId).trim();
    if (v !== null && (!v || v.length > 191)) issues.push({ path: at('externalId'), message: 'must be 1–191 characters' });
    else fields.externalId = v;
  }
  for (const k of ['firstName', 'lastName'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    const s = v === null ? null : String(v).trim();
    if (s !== null && s.length > 100) issues.push({ path: at(k), message: 'longer than 100 characters' });
    else fields[k] = s || null;
  }
  if (raw.locale !== undefined) {
    if (raw.locale === null || raw.locale === '') fields.locale = null;
    else {
      try {
        const [canonical] = Intl.getCanonicalLocales(String(raw.locale).replace('_', '-'));
        if (canonical.length > 16) throw new Error('too long');
        fields.locale = canonical;
      } catch {
        issues.push({ path: at('locale'), message: `"${raw.locale}" is not a BCP 47 language tag (e.g. en-GB)` });
      }
    }
  }
  if (raw.timezone !== undefined) {
    if (raw.timezone === null || raw.timezone === '') fields.timezone = null;
    else if (isValidTimeZone(String(raw.timezone))) fields.timezone = String(raw.timezone);
    else issues.push({ path: at('timezone'), message: `"${raw.timezone}" is not an IANA time zone (e.g. Europe/Paris)` });
  }
  if (raw.attributes !== undefined && raw.attributes !== null) {
    const attrs = checkAttributes(raw.attributes, defs, at('attributes'), { unknownKeys: opts.unknownAttributes });
    issues.push(...attrs.issues);
    if (Object.keys(attrs.value).length) fields.attributes = attrs.value;
    droppedAttributes = attrs.dropped;
  }
  if (raw.consentStatus !== undefined && raw.consentStatus !== null) {
    const status = String(raw.consentStatus).toUpperCase() as ConsentStatus;
    if (!CONSENT.has(status)) issues.push({ path: at('consentStatus'), message: `expected one of ${[...CONSENT].join(', ')}` });
    else {
      fields.consentStatus = status;
      fields.consentSource = raw.consentSource === undefined ? null : raw.consentSource?.slice(0, 64) ?? null;
      const when = raw.consentAt ? new Date(raw.consentAt) : opts.now ?? new Date();
      if (Number.isNaN(when.getTime())) issues.push({ path: at('consentAt'), message: 'not a valid date-time' });
      else fields.consentAt = when;
    }
  }

  const req = opts.requireIdentity;
  const hasEmail = !!fields.emailNormalized;
  const hasExternal = !!fields.externalId;
  if (req === 'email' && !hasEmail && !issues.some((i) => i.path.at(-1) === 'email')) issues.push({ path: at('email'), message: 'is required' });
  if (req === 'externalId' && !hasExternal && !issues.some((i) => i.path.at(-1) === 'externalId')) issues.push({ path: at('externalId'), message: 'is required' });
  if (req === 'either' && !hasEmail && !hasExternal && !issues.length) issues.push({ path, message: 'needs an email or an externalId' });

  return { fields, issues, droppedAttributes };
}
