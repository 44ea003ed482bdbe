import type { ConnectorDefinition } from '../ports/connector';
import type { EmailProviderDefinition } from '../ports/email-provider';
import type { PropensityModelDefinition } from '../ports/propensity-model';
import type { JobHandler } from '../jobs/job-handler';
import { ExtensionRegistry } from './registry';

/** Every extension point core consults, filled by the plugin host at boot. */
export interface Extensions {
  emailProviders: ExtensionRegistry<EmailProviderDefinition<any>>;
  connectors: ExtensionRegistry<ConnectorDefinition<any>>;
  models: ExtensionRegistry<PropensityModelDefinition>;
  /** Background job handlers keyed by job kind. */
  jobs: ExtensionRegistry<JobHandler>;
}

export function createExtensions(): Extensions {
  return {
    emailProviders: new ExtensionRegistry('email provider'),
    connectors: new ExtensionRegistry('connector'),
    models: new ExtensionRegistry('propensity model'),
    jobs: new ExtensionRegistry('job handler'),
  };
}
