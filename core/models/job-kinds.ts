/** Job kinds of the models domain (jobs.kind). */
export const TRAIN_JOB_KIND = 'models.train';
export const SCORE_JOB_KIND = 'models.score';
