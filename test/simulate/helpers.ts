// Shared bits for the simulator tests: where the real TrackML data lives and small cached detectors/events.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDetectorIndex, loadDetector, type DetectorIndex } from '../../src/geometry/index.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** ../shared/trackml-data beside the clone; fails loudly when absent (CI always has it). */
export function realDataDir(): string {
  const dir = path.resolve(repoRoot, '..', 'shared', 'trackml-data');
  if (!existsSync(path.join(dir, 'detectors.csv.gz'))) {
    throw new Error(`real TrackML data not found at ${dir} (expected shared/trackml-data beside the repository)`);
  }
  return dir;
}

let real: DetectorIndex | undefined;
let procedural: DetectorIndex | undefined;

export function realDetector(): DetectorIndex {
  return (real ??= buildDetectorIndex(loadDetector(path.join(realDataDir(), 'detectors.csv.gz'))));
}

export function proceduralDetector(): DetectorIndex {
  return (procedural ??= buildDetectorIndex(loadDetector()));
}
