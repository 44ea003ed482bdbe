import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Path of a file of the project's shared data sets (../shared/data next to the checkout on
 * the project's machines). PERSONAE_SHARED_DATA overrides the directory; a clone elsewhere
 * falls back to the machines' fixed location. Missing data fails the test that needs it.
 */
export function sharedDataFile(name: string): string {
  const candidates = [
    process.env.PERSONAE_SHARED_DATA,
    path.resolve(__dirname, '../../../shared/data'),
    '/work/shared/data',
  ].filter((d): d is string => !!d);
  for (const dir of candidates) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  throw new Error(`shared data set ${name} not found in ${candidates.join(', ')}; set PERSONAE_SHARED_DATA to its directory`);
}
