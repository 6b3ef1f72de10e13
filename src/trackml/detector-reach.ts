// The physical reach of the TrackML detector: where a hit, a truth position or a production vertex can be, and the
// volume and layer ids its hits carry. Readers refuse positions beyond it and ids it lacks; the track builder leaves
// far-away hits (from a library caller) off its layers.

/** Physical reach of the TrackML detector with a margin, mm: real hits lie within |x|, |y| ≤ 1,025 mm and
 * |z| ≤ 2,955.5 mm. Positions beyond are refused at the door: one far-away hit used to make the track builder
 * allocate gigabytes (issue 22, row 3). */
export const DETECTOR_MAX_XY_MM = 1200;
export const DETECTOR_MAX_Z_MM = 3200;

/** Whether a position (mm) lies within the detector's reach (false for NaN and infinities). */
export function insideDetector(x: number, y: number, z: number): boolean {
  return Math.abs(x) <= DETECTOR_MAX_XY_MM && Math.abs(y) <= DETECTOR_MAX_XY_MM && Math.abs(z) <= DETECTOR_MAX_Z_MM;
}

/** Volume ids of the TrackML detector: pixels 7–9, short strips 12–14, long strips 16–18 (barrels 8, 13, 17). */
export const TRACKML_VOLUME_IDS: ReadonlySet<number> = new Set([7, 8, 9, 12, 13, 14, 16, 17, 18]);

/** Why a hit's (volume, layer) cannot be on the TrackML detector, or undefined: layer ids there are even, 2–14. A hit
 * elsewhere would be left out of every graph and track without a word, lowering the score of the event. */
export function detectorIdProblem(volumeId: number, layerId: number): string | undefined {
  if (!TRACKML_VOLUME_IDS.has(volumeId))
    return `column "volume_id": ${volumeId} is not a TrackML detector volume (${[...TRACKML_VOLUME_IDS].join(', ')})`;
  if (layerId < 2 || layerId > 14 || layerId % 2 !== 0) return `column "layer_id": ${layerId} is not a TrackML layer id (even, 2–14)`;
  return undefined;
}
