// The physical reach of the TrackML detector: where a hit, a truth position or a production vertex can be. Readers
// refuse positions beyond it; the track builder leaves such hits (from a library caller) off its layers.

/** Physical reach of the TrackML detector with a margin, mm: real hits lie within |x|, |y| ≤ 1,025 mm and
 * |z| ≤ 2,955.5 mm. Positions beyond are refused at the door: one far-away hit used to make the track builder
 * allocate gigabytes (issue 22, row 3). */
export const DETECTOR_MAX_XY_MM = 1200;
export const DETECTOR_MAX_Z_MM = 3200;

/** Whether a position (mm) lies within the detector's reach (false for NaN and infinities). */
export function insideDetector(x: number, y: number, z: number): boolean {
  return Math.abs(x) <= DETECTOR_MAX_XY_MM && Math.abs(y) <= DETECTOR_MAX_XY_MM && Math.abs(z) <= DETECTOR_MAX_Z_MM;
}
