import { builder } from '../builder';

export const SortDirection = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

export const ConsentStatusEnum = builder.enumType('ConsentStatus', {
  values: {
    UNKNOWN: { description: 'No consent recorded; not mailed by marketing campaigns.' },
    PENDING: { description: 'Opt-in requested but not confirmed (double opt-in).' },
    SUBSCRIBED: { description: 'Opted in to marketing email.' },
    UNSUBSCRIBED: { description: 'Opted out; only transactional email is sent.' },
  },
});

export const ScopeEnum = builder.enumType('ApiKeyScope', {
  values: {
    READ: { description: 'Queries and subscriptions.' },
    WRITE: { description: 'READ plus mutations on data.' },
    ADMIN: { description: 'WRITE plus API keys, integrations and workspace settings.' },
  },
});
