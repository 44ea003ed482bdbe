// Per-run training options (validated before a training job is queued).
import { z } from 'zod';

export const trainingOptionsSchema = z
  .object({
    maxEpochs: z.number().int().min(1).max(500).default(60),
    /** Epochs without improvement of the early-stopping loss before training stops. */
    patience: z.number().int().min(1).max(500).default(5),
    /** Default: about 200 steps per epoch, between 64 and 1024 rows per batch. */
    batchSize: z.number().int().min(8).max(8192).optional(),
    learningRate: z.number().positive().max(1).optional(),
    /** MLP hidden layer sizes (ignored by the logistic model). */
    hidden: z.array(z.number().int().min(1).max(512)).max(4).default([32, 16]),
    l2: z.number().min(0).max(1).default(1e-4),
    /** `balanced` weighs each class by n / (2 · its count), so rare positives are not ignored. */
    classWeighting: z.enum(['balanced', 'none']).default('balanced'),
  })
  .strict();

export type TrainingOptions = z.output<typeof trainingOptionsSchema>;

export function defaultBatchSize(rows: number): number {
  return Math.min(1024, Math.max(64, 2 ** Math.round(Math.log2(Math.max(1, rows / 200)))));
}
