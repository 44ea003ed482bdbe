// The one check of a figures date range [from, to), shared by the workspace overview and
// campaign timelines so both refuse the same ranges with the same error.
import { ValidationError } from '../errors';

export const MAX_RANGE_DAYS = 400;

/** Throws a ValidationError on `to` unless from < to; `maxDays` bounds ranges whose cost grows with their length. */
export function assertDateRange(from: Date | null | undefined, to: Date | null | undefined, opts: { maxDays?: number } = {}): void {
  if (from && to && !(to.getTime() > from.getTime())) throw ValidationError.at(['to'], '`to` must be after `from`');
  if (from && to && opts.maxDays && to.getTime() - from.getTime() > opts.maxDays * 86_400_000) {
    throw ValidationError.at(['to'], `the range may span at most ${opts.maxDays} days`);
  }
}
