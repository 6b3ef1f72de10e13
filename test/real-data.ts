// Where the real TrackML files live for tests — $TRACKML_DATA, by default ../shared/trackml-data beside the clone,
// never in the repo — and throwaway temp dirs. Tests that need the real files run under describeRealData /
// itRealData: skipped when the files are absent (test/global-setup.ts prints one line saying so), except under CI
// (CI=1), where their absence fails the run.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { hasRealData, realDataDir } from './real-data-dir.ts';

export { hasRealData, realDataDir, repoRoot } from './real-data-dir.ts';

/** `describe` / `it` for tests that read the real files. */
export const describeRealData = describe.runIf(hasRealData);
export const itRealData = it.runIf(hasRealData);

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
