// Test doubles for the plugin host: a plugin that uses every extension point, and plugins
// that fail in each boot phase.
import { z } from 'zod';
import { definePlugin, defineRoute, defineEmailProvider } from '../../plugins/sdk';
import { trackEvents } from '../../core/events/track-events';

export const lifecycle: string[] = [];

export const greetingPlugin = definePlugin({
  name: '@test/plugin-greeting',
  version: '1.2.3',
  compatibility: '^1.0.0',
  options: z.object({ greeting: z.string().min(1), punctuation: z.string().default('!') }),
  schema: (builder, opts) => {
    builder.queryFields((t) => ({
      pluginGreeting: t.string({ args: { name: t.arg.string({ required: true }) }, resolve: (_r, { name }) => `${opts.greeting}, ${name}${opts.punctuation}` }),
    }));
    builder.prismaObjectFields('Contact', (t) => ({
      greeting: t.string({ resolve: (c) => `${opts.greeting}, ${c.firstName ?? 'friend'}${opts.punctuation}` }),
    }));
  },
  hooks: {
    // Every new contact gets a "welcomed" event, written through core like any other caller.
    'contact.created': async (payload, { workspace }) => {
      await trackEvents(workspace, { source: 'plugin:greeting', events: payload.contactIds.map((contactId) => ({ type: 'welcomed', contactId })) });
    },
  },
  routes: (opts) => [
    defineRoute({ method: 'GET', path: '/plugins/greeting/:name', auth: 'public', handler: ({ params }) => Response.json({ message: `${opts.greeting}, ${params.name}` }) }),
  ],
  emailProviders: [
    defineEmailProvider({
      key: 'test-null',
      label: 'Discards everything',
      config: z.object({ token: z.string() }),
      secretFields: ['token'],
      create: () => ({ maxBatchSize: 10, send: async ({ messages }) => messages.map(() => ({ status: 'accepted' as const })) }),
    }),
  ],
  setup: () => {
    lifecycle.push('greeting:setup');
  },
  teardown: () => {
    lifecycle.push('greeting:teardown');
  },
});

export const dependentPlugin = definePlugin({
  name: '@test/plugin-dependent',
  version: '0.1.0',
  compatibility: '>=1.0.0 <2',
  dependencies: ['@test/plugin-greeting'],
  setup: () => {
    lifecycle.push('dependent:setup');
  },
  teardown: () => {
    lifecycle.push('dependent:teardown');
  },
});

export const futurePlugin = definePlugin({ name: '@test/plugin-future', version: '9.0.0', compatibility: '^2.0.0' });

export const brokenSetupPlugin = definePlugin({
  name: '@test/plugin-broken-setup',
  version: '1.0.0',
  compatibility: '^1.0.0',
  setup: () => {
    throw new Error('cannot reach the CRM');
  },
});

export const clashingProviderPlugin = definePlugin({
  name: '@test/plugin-clash',
  version: '1.0.0',
  compatibility: '^1.0.0',
  emailProviders: [
    defineEmailProvider({ key: 'test-null', label: 'again', config: z.object({}), create: () => ({ maxBatchSize: 1, send: async () => [] }) }),
  ],
});
