// The outbox email provider: "sends" by storing the rendered message in outbox_messages,
// where GraphQL reads it back. The default provider, so a demo needs no account. It applies
// the same basic checks a real provider would, so bad messages fail the same way here.
import { z } from 'zod';
import { defineEmailProvider, type OutgoingEmail, type PluginSetupContext, type SendOutcome } from '../sdk';
import { insertOutboxMessages } from './outbox-store';

type Core = PluginSetupContext<unknown>['core'];

// Unknown keys are dropped, not trusted: in particular a `workspaceId` here is ignored (the
// workspace always comes from create(), never from user-editable configuration).
export const outboxConfig = z.object({
  /** Addresses at these domains are rejected, like a provider's permanent refusal (for demos and tests). */
  rejectDomains: z.array(z.string().min(1).max(253)).max(100).default([]),
  /** Messages per send call (one INSERT per few MB). */
  maxBatchSize: z.number().int().min(1).max(1000).default(500),
});

export type OutboxConfig = z.infer<typeof outboxConfig>;

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** The provider definition; `getCore` returns the core services bound at plugin setup. */
export function outboxProvider(getCore: () => Core) {
  return defineEmailProvider<OutboxConfig>({
    key: 'outbox',
    label: 'Outbox (keeps messages here, sends nothing)',
    config: outboxConfig,
    create: ({ config, workspaceId, log }) => {
      if (!Number.isSafeInteger(workspaceId) || workspaceId <= 0) {
        throw new Error('outbox: create() needs the workspaceId the messages belong to (see core/ports/email-provider.ts)');
      }
      const rejected = new Set(config.rejectDomains.map((d) => d.toLowerCase()));
      return {
        maxBatchSize: config.maxBatchSize,
        async send({ messages }) {
          const outcomes: SendOutcome[] = new Array(messages.length);
          const keep: OutgoingEmail[] = [];
          const slot = new Map<OutgoingEmail, number>();
          messages.forEach((m, i) => {
            const reason = problemWith(m, rejected);
            if (reason) outcomes[i] = { status: 'rejected', reason };
            else {
              keep.push(m);
              slot.set(m, i);
            }
          });
          const core = getCore();
          await insertOutboxMessages(core.db.sql, workspaceId, keep, core.now(), (chunk, error) => {
            if (error) log.warn({ err: error, count: chunk.length }, 'outbox insert failed');
            for (const m of chunk) {
              outcomes[slot.get(m)!] = error
                ? { status: 'retryable', reason: `outbox: could not store the message (${(error as Error).message ?? error})` }
                : { status: 'accepted', providerMessageId: `outbox-${m.messageId}` };
            }
          });
          return outcomes;
        },
      };
    },
  });
}

function problemWith(m: OutgoingEmail, rejectDomains: Set<string>): string | null {
  if (!EMAIL.test(m.to.email)) return `outbox: invalid recipient address "${m.to.email}"`;
  if (!EMAIL.test(m.from.email)) return `outbox: invalid sender address "${m.from.email}"`;
  if (rejectDomains.has(m.to.email.split('@').pop()!.toLowerCase())) return `outbox: the domain of ${m.to.email} is in rejectDomains`;
  if (!m.subject.trim()) return 'outbox: the subject is empty';
  if (m.subject.length > 998) return 'outbox: the subject is longer than 998 characters';
  if (!m.html && !m.text) return 'outbox: the message has no content';
  if (m.messageId.length > 64) return 'outbox: messageId is longer than 64 characters';
  return null;
}
