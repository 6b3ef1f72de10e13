// The detector the rest of the pipeline uses: the procedural TrackML-like detector built from the committed
// layer table (no real file needed), or a real detectors.csv(.gz) from its bytes. Pure: detector-model.ts reads a
// real file from disk; the web page bundles the table (or the file the pipeline config names).
import type { Detectors } from '../trackml/types.ts';
import { parseDetectors } from '../trackml/parse.ts';
import layerTableJson from '../../trackml-data/layer-table.json' with { type: 'json' };
import { parseLayerTable } from './layer-table.ts';
import type { LayerTable } from './layer-table.ts';
import { buildDetectorFromTable } from './procedural.ts';

/** Where the bundled table came from, for error messages. */
const DEFAULT_TABLE_NAME = 'trackml-data/layer-table.json';

/** The committed layer table, validated. */
export function defaultLayerTable(): LayerTable {
  return parseLayerTable(layerTableJson, DEFAULT_TABLE_NAME);
}

/** The procedural detector built from the committed layer table. */
export function builtInDetector(): Detectors {
  return buildDetectorFromTable(defaultLayerTable());
}

/** A real detectors.csv's (inflated) bytes, its modules ordered by (volume, layer, module id) so each layer is one
 * contiguous run (what DetectorIndex needs). */
export function detectorFromCsv(file: string, bytes: Uint8Array): Detectors {
  return sortDetectors(parseDetectors(file, bytes));
}

/** Rows ordered by (volume, layer, module id); returns the input itself when already in that order. */
export function sortDetectors(det: Detectors): Detectors {
  const n = det.volumeId.length;
  const key = (i: number): number => (det.volumeId[i] * 256 + det.layerId[i]) * 65536 + det.moduleId[i];
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = key(i - 1) <= key(i);
  if (sorted) return det;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b));
  return permuteDetectors(det, order);
}

/** Row `to` of the result is row `order[to]` of `det`. */
export function permuteDetectors(det: Detectors, order: ArrayLike<number>): Detectors {
  const n = order.length;
  const pick = <T extends Uint8Array | Uint16Array | Float64Array>(col: T): T => {
    const out = col.slice(0, n) as T;
    for (let to = 0; to < n; to++) out[to] = col[order[to]];
    return out;
  };
  const rot = new Float64Array(9 * n);
  for (let to = 0; to < n; to++) rot.set(det.rot.subarray(9 * order[to], 9 * order[to] + 9), 9 * to);
  return {
    volumeId: pick(det.volumeId),
    layerId: pick(det.layerId),
    moduleId: pick(det.moduleId),
    cx: pick(det.cx),
    cy: pick(det.cy),
    cz: pick(det.cz),
    rot,
    thicknessMm: pick(det.thicknessMm),
    minHalfUMm: pick(det.minHalfUMm),
    maxHalfUMm: pick(det.maxHalfUMm),
    halfVMm: pick(det.halfVMm),
    pitchUMm: pick(det.pitchUMm),
    pitchVMm: pick(det.pitchVMm),
  };
}
