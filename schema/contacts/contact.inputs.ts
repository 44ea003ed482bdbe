import { builder } from '../builder';
import { ConsentStatusEnum } from '../common/enums';
import type { ContactInput } from '../../core/contacts/contact-input';

export const ConsentInput = builder.inputType('ConsentInput', {
  fields: (t) => ({
    status: t.field({ type: ConsentStatusEnum, required: true }),
    source: t.string({ description: 'Where consent was given or withdrawn (form, import, checkout...).' }),
    at: t.field({ type: 'DateTime', description: 'When; defaults to now.' }),
  }),
});

export const ContactInputType = builder.inputType('ContactInput', {
  description: 'Contact fields. Omitted fields are left unchanged; null clears a field. Attributes are merged (null removes one).',
  fields: (t) => ({
    email: t.string(),
    externalId: t.string(),
    firstName: t.string(),
    lastName: t.string(),
    locale: t.string({ description: 'BCP 47 tag, e.g. en-GB.' }),
    timezone: t.string({ description: 'IANA zone, e.g. Europe/Paris.' }),
    attributes: t.field({ type: 'JSON', description: 'Object of attribute key → value, checked against the attribute definitions.' }),
    consent: t.field({ type: ConsentInput }),
  }),
});

type ContactInputShape = typeof ContactInputType.$inferInput;

/** GraphQL input → core input (GraphQL `undefined` vs `null` semantics are kept). */
export function toContactInput(i: ContactInputShape): ContactInput {
  return {
    email: i.email,
    externalId: i.externalId,
    firstName: i.firstName,
    lastName: i.lastName,
    locale: i.locale,
    timezone: i.timezone,
    attributes: i.attributes as Record<string, unknown> | null | undefined,
    consentStatus: i.consent?.status,
    consentSource: i.consent?.source,
    consentAt: i.consent?.at,
  };
}
