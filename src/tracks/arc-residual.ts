// Soft secondaries curl: between two seed hits and a third their z is linear in the path along the circle, not in r,
// so the straight (r, z) line of the first two misses the third by millimetres. Used by the large-radius seeds'
// `arcDz` (src/tracks/seed-search.ts, src/tracks/large-radius.ts).

/** With arcDz, the window along a barrel layer C lies around the chord a → b continued to C (z linear in transverse
 * path), widened by this share of the sagitta bound of the φ window: that bound is a worst case at the lowest pT; 0.25
 * found as many seeds as 1 and 2 on the score-loss inputs at a quarter of the added search time. */
export const ARC_SAGITTA_SHARE = 0.25;

/** z residual of hit c from z linear in the arc length along the circle through a, b, c (centre ux, uy), from a. */
export function arcZResidual(
  xa: number,
  ya: number,
  xb: number,
  yb: number,
  xc: number,
  yc: number,
  ux: number,
  uy: number,
  za: number,
  zb: number,
  zc: number,
): number {
  const ax = xa - ux,
    ay = ya - uy;
  // Turning angle from a to each hit around the centre: the arc lengths' ratio (the radius cancels).
  const turnB = Math.abs(Math.atan2(ax * (yb - uy) - ay * (xb - ux), ax * (xb - ux) + ay * (yb - uy)));
  const turnC = Math.abs(Math.atan2(ax * (yc - uy) - ay * (xc - ux), ax * (xc - ux) + ay * (yc - uy)));
  if (!(turnB > 0)) return Infinity;
  return zc - (za + ((zb - za) * turnC) / turnB);
}
