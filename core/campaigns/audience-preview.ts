import type { WorkspaceContext } from '../context';
import { ValidationError, fromZodIssues } from '../errors';
import { audienceSchema } from './campaign-input';
import { audienceSql, countAudience, type AudienceCounts, type Category } from './audience';

/** Counts an audience as a launch would (nothing is written). */
export async function previewAudience(ctx: WorkspaceContext, args: { audience: unknown; category: Category }): Promise<AudienceCounts> {
  const parsed = audienceSchema.nullish().safeParse(args.audience);
  if (!parsed.success) throw new ValidationError('invalid audience', fromZodIssues(parsed.error.issues, ['audience']));
  const where = await audienceSql(ctx, parsed.data ?? null, ['audience']);
  return countAudience(ctx, where, args.category);
}
