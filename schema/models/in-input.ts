import { AppError, ValidationError } from '../../core/errors';

/** Runs a core call whose issue paths are relative to the `input` argument, and re-roots them. */
export async function inInput<T>(fn: () => Promise<T>, prefix: (string | number)[] = ['input']): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ValidationError) throw err.prefixed(prefix);
    if (err instanceof AppError && err.issues?.length) {
      (err as { issues?: unknown }).issues = err.issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }));
    }
    throw err;
  }
}
