// The port propensity models implement (plugins/tfjs-propensity is the built-in one).
// Core prepares the feature matrix and labels (as of a cutoff, without leakage) and stores
// the artifact; the model only learns and predicts.
import type { z } from 'zod';

/** A dense row-major feature matrix. */
export interface FeatureMatrix {
  rows: number;
  cols: number;
  values: Float32Array;
  featureNames: string[];
}

export interface TrainProgress {
  epoch: number;
  totalEpochs: number;
  loss: number;
  validationLoss?: number;
}

export interface TrainedModel {
  /** Serialised model (weights, normalisation), stored in the registry as bytes. */
  artifact: Uint8Array;
  /** Free-form details the model wants to keep (architecture, epochs run). */
  details?: Record<string, unknown>;
}

export interface PropensityModelDefinition {
  key: string;
  label: string;
  /** Validates the per-run `options` (checked before a training job is queued). */
  options?: z.ZodType<Record<string, unknown>>;
  /**
   * Trains on `train`, using `validation` for early stopping. Deterministic for a given seed.
   * Throws when `signal` is aborted (cancellation), checking it at least once per epoch.
   */
  train(args: {
    train: { features: FeatureMatrix; labels: Float32Array };
    validation: { features: FeatureMatrix; labels: Float32Array };
    seed: number;
    options?: Record<string, unknown>;
    onProgress?: (p: TrainProgress) => void;
    signal?: AbortSignal;
  }): Promise<TrainedModel>;
  /** Scores rows: one probability in [0, 1] per row. */
  predict(args: { artifact: Uint8Array; features: FeatureMatrix }): Promise<Float32Array>;
  /**
   * Optional per-row explanation: each feature's contribution to the score, in log-odds,
   * relative to a typical contact (positive raised the score, negative lowered it).
   */
  explain?(args: { artifact: Uint8Array; features: FeatureMatrix }): Promise<Float32Array[]>;
}

export function definePropensityModel(def: PropensityModelDefinition): PropensityModelDefinition {
  return def;
}
