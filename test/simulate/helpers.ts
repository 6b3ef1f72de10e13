// Shared bits for the simulator tests: the real and built-in detectors, built once per test file.
import { buildDetectorIndex, loadDetector, type DetectorIndex } from '../../src/geometry/index.ts';
import { realDetectorsFile } from '../real-data.ts';

export { describeRealData, itRealData, realDataDir, repoRoot } from '../real-data.ts';

let real: DetectorIndex | undefined;
let procedural: DetectorIndex | undefined;

export function realDetector(): DetectorIndex {
  return (real ??= buildDetectorIndex(loadDetector(realDetectorsFile())));
}

export function proceduralDetector(): DetectorIndex {
  return (procedural ??= buildDetectorIndex(loadDetector()));
}
