// The public plugin API. Plugins import from here (and from core/ports for the contracts).
export { definePlugin, defineRoute, PLUGIN_API_VERSION } from './define-plugin';
export type { PluginDefinition, PluginInstance, RouteDefinition, RouteArgs, HookContext, HookHandlers, PluginSetupContext } from './define-plugin';
export { PluginHost, PluginBootError } from './plugin-host';
export { defineEmailProvider } from '../../core/ports/email-provider';
export type { EmailProviderDefinition, EmailProviderInstance, OutgoingEmail, SendOutcome, ProviderEvent, ProviderEventType } from '../../core/ports/email-provider';
export { defineConnector } from '../../core/ports/connector';
export type { ConnectorDefinition, ConnectorBatch, ConnectorContact, ConnectorEvent } from '../../core/ports/connector';
export { definePropensityModel } from '../../core/ports/propensity-model';
export type { PropensityModelDefinition, FeatureMatrix, TrainedModel, TrainProgress } from '../../core/ports/propensity-model';
export { defineJob } from '../../core/jobs/job-handler';
export type { JobHandler, JobRunContext } from '../../core/jobs/job-handler';
/** Seeded PRNG (mulberry32) and shuffle for reproducible training: the ones the core uses. */
export { mulberry32, shuffleInPlace } from '../../core/random/seeded-random';
