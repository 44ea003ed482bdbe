// Which plugins this deployment loads. Plugins are code (no dynamic require), so the typed
// schema builder and Prisma client stay whole. See docs/plugins.md.
import { defineConfig } from './api/personae-config';
import { outbox } from './plugins/outbox';
import { sendgrid } from './plugins/sendgrid';
import { smtp } from './plugins/smtp';

export default defineConfig({
  plugins: [
    // Email providers (docs/providers.md). The outbox is the default: it keeps messages instead
    // of sending them, so the demo needs no account. SendGrid and SMTP are only available:
    // nothing is sent through them until a workspace configures one (createIntegration).
    outbox(),
    // SENDGRID_API_BASE_URL routes every workspace's SendGrid traffic through a proxy (or a fake).
    sendgrid({ baseUrl: process.env.SENDGRID_API_BASE_URL || undefined }),
    smtp(),
  ],
});
