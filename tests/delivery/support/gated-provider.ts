// A test email provider whose send calls can be held in flight: while held, the batch stays
// DISPATCHING, which is how a slow real provider overlaps another batch. A held call waits
// until the test's condition holds (polled) or a time limit passes, and records which it was,
// so a test can tell "released because the other batch settled" from "released by timeout".
import { z } from 'zod';
import { definePlugin, defineEmailProvider, type OutgoingEmail } from '../../../plugins/sdk';

export interface GatedCall {
  campaignId: string | undefined;
  to: string[];
  released: 'at once' | 'condition' | 'timeout';
}

export function gatedProvider(opts: { pollMs?: number; timeoutMs?: number } = {}) {
  const calls: GatedCall[] = [];
  const delivered: OutgoingEmail[] = [];
  let condition: ((call: GatedCall) => Promise<boolean>) | null = null;

  async function wait(call: GatedCall, cond: (call: GatedCall) => Promise<boolean>): Promise<'condition' | 'timeout'> {
    const deadline = Date.now() + (opts.timeoutMs ?? 5_000);
    while (Date.now() < deadline) {
      if (await cond(call)) return 'condition';
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 10));
    }
    return 'timeout';
  }

  const plugin = definePlugin({
    name: '@test/plugin-gated-provider',
    version: '1.0.0',
    compatibility: '^1.0.0',
    emailProviders: [
      defineEmailProvider({
        key: 'test-gated',
        label: 'Accepts everything, holding each call until the test lets it go',
        config: z.object({}),
        create: () => ({
          maxBatchSize: 100,
          async send({ messages }) {
            const call: GatedCall = { campaignId: messages[0]?.customArgs?.personae_campaign_id, to: messages.map((m) => m.to.email), released: 'at once' };
            calls.push(call);
            if (condition) call.released = await wait(call, condition);
            delivered.push(...messages);
            return messages.map((m) => ({ status: 'accepted' as const, providerMessageId: `gated-${m.messageId}` }));
          },
        }),
      }),
    ],
  });

  return {
    plugin,
    /** Every send call, in arrival order. */
    calls,
    /** Every message accepted. */
    delivered,
    /** Holds each later send call until `cond(call)` resolves true (null: no holding). */
    holdUntil(cond: ((call: GatedCall) => Promise<boolean>) | null) {
      condition = cond;
    },
    reset() {
      calls.length = 0;
      delivered.length = 0;
      condition = null;
    },
  };
}
