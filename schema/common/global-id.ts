import { decodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError, type IssuePath } from '../../core/errors';

/**
 * Decodes a Relay global id that must name `typename` and carry a numeric id. A malformed
 * id, or one for another type, is a BAD_USER_INPUT error at `path`.
 */
export function numericId(globalId: string, typename: string, path: IssuePath): number {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw ValidationError.at(path, `"${globalId}" is not a valid ID`);
  }
  const n = Number(decoded.id);
  if (decoded.typename !== typename || !Number.isSafeInteger(n) || n <= 0) {
    throw ValidationError.at(path, `expected a ${typename} ID`);
  }
  return n;
}
