// A test double for a live stream whose events are shared objects (as the campaignStats feed
// hands one tick to every listener): `testTicks` gives every subscriber, of any workspace, the
// same tick object, so the shared-execution plugin may share results — and the test checks it
// shares only within one workspace and key scope. Fields read the workspace and the scope the
// way real resolvers do; `executions` counts how many times a tick was executed.
import { Repeater } from 'graphql-yoga';
import { definePlugin } from '../../plugins/sdk';
import { ws } from '../../schema/context';

interface Tick {
  n: number;
}

export const ticks = {
  listeners: new Set<(t: Tick) => void>(),
  executions: 0,
  /** Hands one tick object to every subscriber. */
  publish(n: number) {
    const tick: Tick = { n };
    for (const l of ticks.listeners) l(tick);
  },
};

export const sharedTicksPlugin = definePlugin({
  name: '@test/plugin-shared-ticks',
  version: '1.0.0',
  compatibility: '^1.0.0',
  schema: (builder) => {
    const TickRef = builder.objectRef<Tick>('TestTick').implement({
      fields: (t) => ({
        n: t.int({ resolve: (tick) => (ticks.executions++, tick.n) }),
        workspaceId: t.int({ description: 'What a workspace-filtered read returns.', resolve: (_tick, _a, ctx) => ws(ctx).workspaceId }),
        adminNote: t.string({ nullable: true, authScopes: { admin: true }, resolve: (tick) => `admins only ${tick.n}` }),
      }),
    });
    builder.subscriptionFields((t) => ({
      testTicks: t.field({
        type: TickRef,
        subscribe: () =>
          new Repeater<Tick>(async (push, stop) => {
            const listener = (tick: Tick) => void push(tick);
            ticks.listeners.add(listener);
            await stop;
            ticks.listeners.delete(listener);
          }),
        resolve: (tick) => tick as Tick,
      }),
    }));
  },
});
