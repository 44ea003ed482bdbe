// Domain events of the models domain (also GraphQL pubsub topics of the same name).
// Payloads carry ids and progress figures, never rows or weights.

/** RETRYING: an attempt failed with an error that may pass (it runs again later); FAILED is final. */
export type TrainingPhase = 'PREPARING' | 'TRAINING' | 'BASELINE' | 'EVALUATING' | 'RETRYING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

export interface TrainingProgressEvent {
  workspaceId: number;
  /** Decimal string of the jobs.id BIGINT. */
  jobId: string;
  targetKey: string;
  phase: TrainingPhase;
  /** Overall progress, 0 to 1. */
  fraction: number;
  epoch: number | null;
  totalEpochs: number | null;
  loss: number | null;
  validationLoss: number | null;
  /** The registered version, once COMPLETED. */
  modelId: number | null;
  /** Why it FAILED, or a note on the phase. */
  message: string | null;
}

declare module '../domain-events' {
  interface DomainEventMap {
    /** A training job moved on: a phase began, an epoch ended, or it finished. */
    'model.training.progress': TrainingProgressEvent;
    /** A scoring run rewrote a target's contact_scores. */
    'model.scores.refreshed': { workspaceId: number; targetKey: string; modelId: number; scored: number };
  }
}

export {};
