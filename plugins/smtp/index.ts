// @personae/plugin-smtp: the `smtp` email provider (any SMTP relay, pooled connections).
// Each workspace configures its own relay (createIntegration with key "smtp").
import { definePlugin } from '../sdk';
import { smtpProvider } from './smtp.provider';

export const smtp = definePlugin({
  name: '@personae/plugin-smtp',
  version: '1.0.0',
  compatibility: '^1.0.0',
  description: 'Sends through an SMTP relay with nodemailer, over a pool of connections.',
  emailProviders: [smtpProvider],
});

export default smtp;
export { smtpConfig, MESSAGE_ID_HEADER, type SmtpConfig } from './smtp.config';
export { outcomeOfSmtpError } from './smtp.provider';
