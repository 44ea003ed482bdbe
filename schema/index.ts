// Assembles the GraphQL schema: import every domain module (they register types on the
// shared builder), let plugins extend it, then build.
import type { GraphQLSchema } from 'graphql';
import { builder } from './builder';
import './common/enums';
import './workspaces/workspace.type';
import './workspaces/api-key.type';
import './attributes/attribute-definition.type';
import './contacts/contact.type';
import './contacts/contact.queries';
import './contacts/contact.mutations';
import './contacts/contact-import.mutation';
import './contacts/import-run.type';
import './events/event.type';
import './events/event.queries';
import './events/contact-events.fields';
import './events/track-events.mutation';
import './suppressions/suppression.type';
import './integrations/integration.type';
import './jobs/job.type';
import './audit/audit-log.type';
import './models/model-target.type';
import './models/propensity-model.type';
import './models/model-training';
import './models/contact-scores.fields';
import './templates/template.type';
import './templates/template.mutations';
import './campaigns/campaign.type';
import './campaigns/campaign.mutations';
import './campaigns/message.type';
import './campaigns/campaign.subscriptions';
import './personas/persona.type';
import './personas/persona.mutations';
import './personas/persona-discovery';
import './personas/recommendations.fields';
import './profiles/contact-profile.fields';
import './analytics/campaign-metrics.type';
import './analytics/overview.query';
import './analytics/campaign-dashboard.query';
import './analytics/live.subscriptions';
import './analytics/activity.subscription';

export type SchemaBuilder = typeof builder;

let built: GraphQLSchema | null = null;

/** Builds the schema once per process, after `extend` (the plugin host) has added plugin types. */
export function buildSchema(extend: (b: SchemaBuilder) => void = () => {}): GraphQLSchema {
  if (built) return built;
  extend(builder);
  built = builder.toSchema({ sortSchema: true });
  return built;
}

export { builder };
