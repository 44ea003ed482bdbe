// The contract plugin authors write against. See docs/plugins.md.
import type { z } from 'zod';
import type { CoreContext, WorkspaceContext } from '../../core/context';
import type { DomainEventMap, DomainEventName } from '../../core/domain-events';
import type { Logger } from '../../core/logger';
import type { ConnectorDefinition } from '../../core/ports/connector';
import type { EmailProviderDefinition } from '../../core/ports/email-provider';
import type { PropensityModelDefinition } from '../../core/ports/propensity-model';
import type { JobHandler } from '../../core/jobs/job-handler';
import type { Scope } from '../../core/workspaces/api-keys';
import type { SchemaBuilder } from '../../schema';

/** The plugin API version this host implements; plugins declare a semver range against it. */
export const PLUGIN_API_VERSION = '1.0.0';

export interface RouteArgs {
  request: Request;
  url: URL;
  /** Named segments of the path pattern (`/webhooks/:integrationId`). */
  params: Record<string, string>;
  core: CoreContext;
  /** The authenticated workspace when the route requires an API key; null for public routes. */
  workspace: WorkspaceContext | null;
}

/** An extra HTTP route served beside /graphql (webhooks, tracking, ingest...). */
export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A URLPattern pathname, e.g. `/webhooks/sendgrid/:integrationId`. */
  path: string;
  /** Require an API key with at least this scope, or 'public'. */
  auth: { scope: Scope } | 'public';
  handler(args: RouteArgs): Response | Promise<Response>;
}

/** Typed helper for a route definition. */
export function defineRoute(route: RouteDefinition): RouteDefinition {
  return route;
}

export interface HookContext {
  core: CoreContext;
  /** The event's workspace, acting as this plugin (for the audit log). */
  workspace: WorkspaceContext;
  log: Logger;
}

export type HookHandlers = { [K in DomainEventName]?: (payload: DomainEventMap[K], ctx: HookContext) => void | Promise<void> };

export interface PluginSetupContext<O> {
  options: O;
  core: CoreContext;
  log: Logger;
}

type OptionsOf<S> = S extends z.ZodType ? z.output<S> : undefined;
type PerOptions<T, O> = T[] | ((options: O) => T[]);

export interface PluginDefinition<S extends z.ZodType | undefined = undefined> {
  /** Package-style name, e.g. `@personae/plugin-sendgrid`; used in every error about the plugin. */
  name: string;
  version: string;
  /** Semver range of the plugin API this plugin works with, e.g. `^1.0.0`. */
  compatibility: string;
  description?: string;
  /** Names of plugins that must be loaded (and set up) before this one. */
  dependencies?: string[];
  /** Validates the options passed in personae.config.ts; a failure stops startup naming the plugin. */
  options?: S;
  /** Adds types and fields with the shared Pothos builder (before the schema is built). */
  schema?: (builder: SchemaBuilder, options: OptionsOf<S>) => void;
  emailProviders?: PerOptions<EmailProviderDefinition<any>, OptionsOf<S>>;
  connectors?: PerOptions<ConnectorDefinition<any>, OptionsOf<S>>;
  models?: PerOptions<PropensityModelDefinition, OptionsOf<S>>;
  /** Background job handlers, keyed by job kind. */
  jobs?: PerOptions<JobHandler, OptionsOf<S>>;
  /** Typed domain-event hooks; they run after the change is committed, and a failure is logged. */
  hooks?: HookHandlers;
  routes?: PerOptions<RouteDefinition, OptionsOf<S>>;
  /** Runs after the schema is built, before the server listens. Throwing stops startup. */
  setup?: (ctx: PluginSetupContext<OptionsOf<S>>) => void | Promise<void>;
  /** Runs on shutdown, in reverse order of setup. */
  teardown?: () => void | Promise<void>;
}

/** A plugin with the options it was given in personae.config.ts (validated at boot). */
export interface PluginInstance {
  readonly definition: PluginDefinition<z.ZodType | undefined>;
  readonly rawOptions: unknown;
}

// Wrapped in [] so the conditional does not distribute over `undefined`.
export type PluginFactory<S extends z.ZodType | undefined> = [S] extends [z.ZodType]
  ? (options: z.input<S>) => PluginInstance
  : (options?: undefined) => PluginInstance;

/** Declares a plugin. Returns a factory: `plugins: [sendgrid({ apiKey })]` in personae.config.ts. */
export function definePlugin<S extends z.ZodType | undefined = undefined>(definition: PluginDefinition<S>): PluginFactory<S> {
  const factory = (options?: unknown): PluginInstance => ({ definition: definition as PluginInstance["definition"], rawOptions: options });
  return factory as unknown as PluginFactory<S>;
}
