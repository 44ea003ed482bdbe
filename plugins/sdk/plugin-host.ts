// Loads plugins in the boot order of ARCHITECTURE.md: validate options → check compatibility
// and dependencies → schema hooks → (the caller builds the schema) → setup → serve →
// teardown. Every failure names the plugin and the phase.
import semver from 'semver';
import type { z } from 'zod';
import type { CoreContext } from '../../core/context';
import { forWorkspace } from '../../core/context';
import type { DomainEventBus } from '../../core/domain-event-bus';
import type { DomainEventName } from '../../core/domain-events';
import type { Extensions } from '../../core/extensions/extensions';
import type { SchemaBuilder } from '../../schema';
import { PLUGIN_API_VERSION, type PluginDefinition, type PluginInstance, type RouteDefinition } from './define-plugin';

export class PluginBootError extends Error {
  constructor(
    readonly plugin: string,
    readonly phase: string,
    message: string,
  ) {
    super(`plugin "${plugin}" failed to ${phase}: ${message}`);
    this.name = 'PluginBootError';
  }
}

interface LoadedPlugin {
  def: PluginDefinition<z.ZodType | undefined>;
  options: unknown;
}

export interface OwnedRoute extends RouteDefinition {
  owner: string;
}

export class PluginHost {
  private readonly plugins: LoadedPlugin[];
  private readonly setUp: LoadedPlugin[] = [];

  /** Validates options, compatibility and dependencies; plugins end up in dependency order. */
  constructor(instances: PluginInstance[]) {
    const loaded = instances.map((inst) => ({ def: inst.definition, options: parseOptions(inst) }));
    const names = new Set<string>();
    for (const p of loaded) {
      if (names.has(p.def.name)) throw new PluginBootError(p.def.name, 'load', 'it is listed twice in personae.config.ts');
      names.add(p.def.name);
      if (!semver.validRange(p.def.compatibility)) {
        throw new PluginBootError(p.def.name, 'load', `its compatibility "${p.def.compatibility}" is not a semver range`);
      }
      if (!semver.satisfies(PLUGIN_API_VERSION, p.def.compatibility)) {
        throw new PluginBootError(p.def.name, 'load', `it needs plugin API ${p.def.compatibility}, this Personae provides ${PLUGIN_API_VERSION}`);
      }
    }
    for (const p of loaded) {
      for (const dep of p.def.dependencies ?? []) {
        if (!names.has(dep)) throw new PluginBootError(p.def.name, 'load', `it depends on "${dep}", which is not in personae.config.ts`);
      }
    }
    this.plugins = topoSort(loaded);
  }

  get names(): string[] {
    return this.plugins.map((p) => p.def.name);
  }

  /** Registers every plugin's email providers, connectors, models and job handlers. */
  registerExtensions(extensions: Extensions): void {
    for (const p of this.plugins) {
      this.guard(p, 'register its extensions', () => {
        for (const e of resolveList(p.def.emailProviders, p.options)) extensions.emailProviders.register(e, p.def.name);
        for (const c of resolveList(p.def.connectors, p.options)) extensions.connectors.register(c, p.def.name);
        for (const m of resolveList(p.def.models, p.options)) extensions.models.register(m, p.def.name);
        for (const j of resolveList(p.def.jobs, p.options)) extensions.jobs.register(j, p.def.name);
      });
    }
  }

  /** Runs the plugins' schema hooks on the shared builder (before builder.toSchema()). */
  extendSchema(builder: SchemaBuilder): void {
    for (const p of this.plugins) {
      if (p.def.schema) this.guard(p, 'extend the schema', () => p.def.schema!(builder, p.options as never));
    }
  }

  /** Subscribes the plugins' typed hooks to the domain event bus. */
  attachHooks(bus: DomainEventBus, core: CoreContext): void {
    for (const p of this.plugins) {
      for (const [event, handler] of Object.entries(p.def.hooks ?? {})) {
        const log = core.log.child({ plugin: p.def.name, hook: event });
        bus.on(event as DomainEventName, async (payload) => {
          const workspace = forWorkspace(core, payload.workspaceId, { type: 'plugin', name: p.def.name });
          await (handler as (payload: unknown, ctx: unknown) => Promise<void>)(payload, { core, workspace, log });
        });
      }
    }
  }

  /** Every plugin route, tagged with its owner; two plugins claiming one route is a boot error. */
  routes(): OwnedRoute[] {
    const seen = new Map<string, string>();
    const out: OwnedRoute[] = [];
    for (const p of this.plugins) {
      for (const r of resolveList(p.def.routes, p.options)) {
        const key = `${r.method} ${r.path}`;
        if (seen.has(key)) throw new PluginBootError(p.def.name, 'add its routes', `${key} is already served by ${seen.get(key)}`);
        seen.set(key, p.def.name);
        out.push({ ...r, owner: p.def.name });
      }
    }
    return out;
  }

  /** Runs setup hooks in dependency order; the first failure stops startup. */
  async setup(core: CoreContext): Promise<void> {
    for (const p of this.plugins) {
      if (p.def.setup) {
        try {
          await p.def.setup({ options: p.options as never, core, log: core.log.child({ plugin: p.def.name }) });
        } catch (err) {
          throw new PluginBootError(p.def.name, 'set up', err instanceof Error ? err.message : String(err));
        }
      }
      this.setUp.push(p);
    }
  }

  /** Runs teardown hooks in reverse order; failures are collected, not thrown midway. */
  async teardown(log: CoreContext['log']): Promise<void> {
    for (const p of this.setUp.splice(0).reverse()) {
      try {
        await p.def.teardown?.();
      } catch (err) {
        log.error({ err, plugin: p.def.name }, 'plugin teardown failed');
      }
    }
  }

  private guard(p: LoadedPlugin, phase: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (err instanceof PluginBootError) throw err;
      throw new PluginBootError(p.def.name, phase, err instanceof Error ? err.message : String(err));
    }
  }
}

function parseOptions(inst: PluginInstance): unknown {
  const schema = inst.definition.options;
  if (!schema) return inst.rawOptions;
  const parsed = schema.safeParse(inst.rawOptions ?? {});
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
  throw new PluginBootError(inst.definition.name, 'load', `invalid options — ${detail}`);
}

function resolveList<T>(list: T[] | ((o: never) => T[]) | undefined, options: unknown): T[] {
  if (!list) return [];
  return typeof list === 'function' ? list(options as never) : list;
}

function topoSort(plugins: LoadedPlugin[]): LoadedPlugin[] {
  const byName = new Map(plugins.map((p) => [p.def.name, p]));
  const out: LoadedPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: LoadedPlugin, chain: string[]) => {
    const s = state.get(p.def.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new PluginBootError(p.def.name, 'load', `circular dependency: ${[...chain, p.def.name].join(' → ')}`);
    state.set(p.def.name, 'visiting');
    for (const dep of p.def.dependencies ?? []) visit(byName.get(dep)!, [...chain, p.def.name]);
    state.set(p.def.name, 'done');
    out.push(p);
  };
  for (const p of plugins) visit(p, []);
  return out;
}
