import type { PluginInstance } from '../plugins/sdk/define-plugin';

/** The shape of personae.config.ts: which plugins this deployment loads. */
export interface PersonaeConfig {
  plugins: PluginInstance[];
}

/** Typed helper for personae.config.ts. */
export function defineConfig(config: PersonaeConfig): PersonaeConfig {
  return config;
}
