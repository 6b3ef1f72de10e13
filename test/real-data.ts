// Where the real TrackML files live for tests (../shared/trackml-data beside the clone, never in the repo), and
// throwaway temp dirs. A test that needs the real files fails loudly when they are absent (CI always has them).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** ../shared/trackml-data beside the clone; throws a clear error when absent. */
export function realDataDir(): string {
  const dir = path.resolve(repoRoot, '..', 'shared', 'trackml-data');
  if (!existsSync(path.join(dir, 'detectors.csv.gz'))) {
    throw new Error(`real TrackML data not found at ${dir} (expected shared/trackml-data beside the repository)`);
  }
  return dir;
}

export const realDetectorsFile = (): string => path.join(realDataDir(), 'detectors.csv.gz');

/** One file of the real ~5 % sample event. */
export function sampleEventFile(kind: 'hits' | 'cells' | 'particles' | 'truth'): string {
  return path.join(realDataDir(), 'sample-event', `event000000001-${kind}.csv.gz`);
}

/** A fresh temp dir, removed after the calling file's tests. */
export function tempDir(prefix = 'trackml-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
