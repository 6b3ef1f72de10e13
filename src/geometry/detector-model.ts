// Loads the detector the rest of the pipeline uses: the procedural TrackML-like detector built from the committed
// layer table by default (no real file needed), or a real detectors.csv(.gz) from disk when a path is given.
import type { Detectors } from '../trackml/types.ts';
import { readInputBytes } from '../trackml/input-file.ts';
import { builtInDetector, detectorFromCsv } from './detectors.ts';

export { builtInDetector, defaultLayerTable, detectorFromCsv, permuteDetectors, sortDetectors } from './detectors.ts';

/** Procedural detector when `detectorsPath` is undefined; otherwise the real file, its modules ordered by
 * (volume, layer, module id) so each layer is one contiguous run (what DetectorIndex needs). */
export function loadDetector(detectorsPath?: string): Detectors {
  if (detectorsPath === undefined) return builtInDetector();
  return detectorFromCsv(detectorsPath, readInputBytes(detectorsPath));
}
