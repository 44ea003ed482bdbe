import type { Issue } from '../core/errors';

type StandardPathSegment = PropertyKey | { key: PropertyKey };

/** Standard-schema issues (from the validation plugin) in our Issue shape. */
export function validationIssues(issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<StandardPathSegment> }>): Issue[] {
  return issues.map((i) => ({
    message: i.message,
    path: (i.path ?? []).map((seg) => {
      const key = typeof seg === 'object' && seg !== null && 'key' in seg ? seg.key : seg;
      return typeof key === 'number' ? key : String(key);
    }),
  }));
}
