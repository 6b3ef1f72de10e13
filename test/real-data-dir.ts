// Where the real TrackML files are for tests: $TRACKML_DATA, by default ../shared/trackml-data beside the clone.
// Apart from real-data.ts (which needs vitest's test API) so that the global setup can ask too.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The folder with detectors.csv.gz and sample-event/: $TRACKML_DATA, else ../shared/trackml-data. */
export function realDataDir(): string {
  const env = process.env.TRACKML_DATA;
  return env ? path.resolve(env) : path.resolve(repoRoot, '..', 'shared', 'trackml-data');
}

/** Whether the real files the tests read are there. */
export const hasRealData = existsSync(path.join(realDataDir(), 'detectors.csv.gz')) && existsSync(path.join(realDataDir(), 'sample-event'));
