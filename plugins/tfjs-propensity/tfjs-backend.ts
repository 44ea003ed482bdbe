// Loads TensorFlow.js once per process and picks its backend:
//   1. @tensorflow/tfjs-node when it is installed (native TensorFlow, fastest);
//   2. otherwise @tensorflow/tfjs on the wasm backend (XNNPACK; measured ~3x the cpu backend
//      for training and ~8x for prediction on this project's models, see docs/models.md);
//   3. the pure-JS cpu backend when wasm cannot start.
// The same model code runs on all three. PERSONAE_TFJS_BACKEND (or the plugin's `backend`
// option) forces one: tensorflow | wasm | cpu.
import type * as TfModule from '@tensorflow/tfjs';

export type Tf = typeof TfModule;
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

let loading: Promise<Tf> | null = null;
let preference: BackendPreference = (process.env.PERSONAE_TFJS_BACKEND as BackendPreference | undefined) ?? 'auto';

/** Sets the preferred backend before first use (plugin option); an explicit env var wins. */
export function preferBackend(p: BackendPreference): void {
  if (!process.env.PERSONAE_TFJS_BACKEND) preference = p;
}

/** TensorFlow.js with its backend ready. */
export function loadTf(): Promise<Tf> {
  return (loading ??= init(preference));
}

async function init(pref: BackendPreference): Promise<Tf> {
  if (pref === 'auto' || pref === 'tensorflow') {
    const node = optionalRequire('@tensorflow/tfjs-node');
    if (node) {
      const tf = node as Tf;
      await tf.ready();
      return tf;
    }
    if (pref === 'tensorflow') throw new Error('PERSONAE_TFJS_BACKEND=tensorflow but @tensorflow/tfjs-node is not installed');
  }
  const tf = require('@tensorflow/tfjs') as Tf;
  await switchBackend(tf, pref === 'cpu' ? 'cpu' : 'wasm');
  return tf;
}

/** Switches the process-wide backend (tests and benchmarks compare them); falls back to cpu. */
export async function switchBackend(tf: Tf, name: 'wasm' | 'cpu'): Promise<string> {
  if (name === 'wasm') {
    try {
      require('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return 'wasm';
      }
    } catch {
      // fall through to cpu
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  // tfjs prints an "install tfjs-node" banner on first use of the cpu backend; we chose it knowingly.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return 'cpu';
}

/** The backend in use, once loaded. */
export async function backendName(): Promise<string> {
  return (await loadTf()).getBackend();
}

function optionalRequire(name: string): unknown {
  try {
    return require(name);
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND') return null;
    throw err;
  }
}
