// Which plugins this deployment loads. Plugins are code (no dynamic require), so the typed
// schema builder and Prisma client stay whole. See docs/plugins.md.
import { defineConfig } from './api/personae-config';

export default defineConfig({
  plugins: [],
});
