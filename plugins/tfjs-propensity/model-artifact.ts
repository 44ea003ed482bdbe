// The stored form of a trained network: a small JSON header (architecture, feature names,
// standardisation, calibration offset) followed by the float32 weights. Independent of the
// tfjs backend and version, so a model trained on one backend is scored on any other.

const MAGIC = 0x4a465450; // 'PTFJ' little-endian
export const ARTIFACT_FORMAT = 1;

export interface DenseLayerSpec {
  inputDim: number;
  units: number;
  activation: 'relu' | 'linear';
}

export interface ArtifactHeader {
  format: number;
  architecture: 'mlp' | 'logistic';
  featureNames: string[];
  /** Per-feature standardisation learnt on the training rows. */
  mean: number[];
  std: number[];
  /** Dense layers in order; the last one outputs the logit (sigmoid is applied outside). */
  layers: DenseLayerSpec[];
  /** Added to the logit before the sigmoid: undoes the shift class weighting puts on the odds. */
  logitOffset: number;
  details: Record<string, unknown>;
}

export interface Artifact {
  header: ArtifactHeader;
  /** Per layer: kernel (inputDim × units, row-major) then bias (units). */
  weights: Float32Array[];
}

export function encodeArtifact(a: Artifact): Uint8Array {
  const json = Buffer.from(JSON.stringify(a.header), 'utf8');
  const headerBytes = Math.ceil(json.length / 4) * 4;
  const floats = a.weights.reduce((n, w) => n + w.length, 0);
  const out = new Uint8Array(8 + headerBytes + floats * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerBytes);
  let offset = 8 + headerBytes;
  for (const w of a.weights) {
    for (let i = 0; i < w.length; i++) view.setFloat32(offset + i * 4, w[i], true);
    offset += w.length * 4;
  }
  return out;
}

export function decodeArtifact(bytes: Uint8Array): Artifact {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('not a tfjs-propensity artifact');
  const len = view.getUint32(4, true);
  const header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, len).toString('utf8')) as ArtifactHeader;
  if (header.format !== ARTIFACT_FORMAT) throw new Error(`artifact format ${header.format} is not supported (expected ${ARTIFACT_FORMAT})`);
  let offset = 8 + Math.ceil(len / 4) * 4;
  const weights: Float32Array[] = [];
  for (const l of header.layers) {
    for (const n of [l.inputDim * l.units, l.units]) {
      const w = new Float32Array(n);
      for (let i = 0; i < n; i++) w[i] = view.getFloat32(offset + i * 4, true);
      offset += n * 4;
      weights.push(w);
    }
  }
  if (offset !== bytes.byteLength) throw new Error('artifact length does not match its layers');
  return { header, weights };
}
