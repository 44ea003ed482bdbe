// @personae/plugin-outbox: the default email provider. Messages are stored, not sent, and
// read back through GraphQL (`outboxMessages`). Listed in personae.config.ts by default.
import { definePlugin, type PluginSetupContext } from '../sdk';
import { outboxProvider } from './outbox.provider';
import { extendSchemaWithOutbox } from './outbox.schema';

type Core = PluginSetupContext<unknown>['core'];

// Providers are created at send time, after setup; setup hands over the core services.
// One process serves one app, so one binding is enough (a test app re-binds it on setup).
let bound: Core | null = null;

function core(): Core {
  if (!bound) throw new Error('@personae/plugin-outbox is not set up (is it listed in personae.config.ts?)');
  return bound;
}

export const outbox = definePlugin({
  name: '@personae/plugin-outbox',
  version: '1.0.0',
  compatibility: '^1.0.0',
  description: 'Keeps rendered messages in the database instead of sending them; readable through GraphQL.',
  emailProviders: [outboxProvider(core)],
  schema: (builder) => extendSchemaWithOutbox(builder),
  setup: ({ core }) => {
    bound = core;
  },
  teardown: () => {
    bound = null;
  },
});

export default outbox;
export { outboxConfig, type OutboxConfig } from './outbox.provider';
