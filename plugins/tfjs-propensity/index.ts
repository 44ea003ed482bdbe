// @personae/plugin-tfjs-propensity: propensity models in TensorFlow.js through the public
// `models` extension point. Registers `tfjs-mlp` and `tfjs-logistic`; core prepares the data,
// evaluates and stores the artifacts (see docs/models.md).
import { z } from 'zod';
import { definePlugin } from '../sdk';
import { tfjsLogistic, tfjsMlp } from './propensity-models';
import { loadTf, preferBackend } from './tfjs-backend';

export const tfjsPropensity = definePlugin({
  name: '@personae/plugin-tfjs-propensity',
  version: '1.0.0',
  compatibility: '^1.0.0',
  description: 'Propensity models (logistic regression and a small MLP) trained with TensorFlow.js',
  options: z.object({
    /** auto: tfjs-node when installed, else wasm, else cpu. PERSONAE_TFJS_BACKEND overrides. */
    backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  }),
  models: (options) => {
    preferBackend(options.backend);
    return [tfjsMlp, tfjsLogistic];
  },
  setup: async ({ log }) => {
    const tf = await loadTf();
    log.info({ backend: tf.getBackend(), tfjs: tf.version.tfjs }, 'TensorFlow.js ready');
  },
});

export default tfjsPropensity;
