// @personae/plugin-sendgrid: the `sendgrid` email provider. Each workspace configures its own
// account (createIntegration with key "sendgrid"); the plugin options are deployment-wide.
import { z } from 'zod';
import { definePlugin } from '../sdk';
import { sendgridProvider } from './sendgrid.provider';

export const sendgrid = definePlugin({
  name: '@personae/plugin-sendgrid',
  version: '1.0.0',
  compatibility: '^1.0.0',
  description: 'Sends through SendGrid v3 Mail Send and verifies its Signed Event Webhook.',
  options: z
    .object({
      /** Overrides api.sendgrid.com for every workspace (a proxy; the loopback fake in tests). Deployment-level only: a workspace cannot point its key elsewhere. */
      baseUrl: z.string().url().optional(),
    })
    .strict(),
  emailProviders: (options) => [sendgridProvider(options)],
});

export default sendgrid;
export { sendgridConfig, MESSAGE_ID_ARG, type SendGridConfig } from './sendgrid.config';
export { WebhookVerificationError, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './sendgrid-webhook';
