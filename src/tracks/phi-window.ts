// Azimuth windows on φ-sorted typed arrays, shared by the helix walk (src/tracks/extend.ts) and the seed search
// (src/tracks/seeds.ts). No callbacks: these run ~10⁶ times per event.

/** Writes the window [phi − dPhi, phi + dPhi] as intervals within [−π, π] into `out` ([from, to] pairs: one, or two
 * where the window crosses ±π); returns how many. */
export function phiIntervals(phi: number, dPhi: number, out: Float64Array): number {
  const lo = phi - dPhi;
  const hi = phi + dPhi;
  out[0] = Math.max(lo, -Math.PI);
  out[1] = Math.min(hi, Math.PI);
  if (lo < -Math.PI) {
    out[2] = lo + 2 * Math.PI;
    out[3] = Math.PI;
    return 2;
  }
  if (hi > Math.PI) {
    out[2] = -Math.PI;
    out[3] = hi - 2 * Math.PI;
    return 2;
  }
  return 1;
}

/** First index in sorted[start, end) whose value is ≥ x (end when none). */
export function lowerBound(sorted: Float64Array, start: number, end: number, x: number): number {
  let a = start;
  let c = end;
  while (a < c) {
    const mid = (a + c) >> 1;
    if (sorted[mid] < x) a = mid + 1;
    else c = mid;
  }
  return a;
}

/** Largest |approxAtan2(y, x) − Math.atan2(y, x)| away from φ = ±π, with a 5× safety factor over the measured error
 * of the polynomial (1.8·10⁻⁶ rad; test/tracks/phi-window.test.ts checks it). */
export const APPROX_ATAN2_MAX_ERR = 1e-5;

/** atan2 to within APPROX_ATAN2_MAX_ERR (odd degree-11 polynomial fitted on [0, 1], then octant symmetry): for a
 * window's first placement, where the exact angle is needed only for the few hits near its edges. Near ±π its sign
 * can differ from Math.atan2's (y = −0): callers take the exact path there. */
export function approxAtan2(y: number, x: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const big = Math.max(ax, ay);
  if (!(big > 0)) return Math.atan2(y, x);
  const t = Math.min(ax, ay) / big;
  const t2 = t * t;
  let a =
    t *
    (0.9999798340122583 +
      t2 *
        (-0.3326554827323519 +
          t2 * (0.19367031614042485 + t2 * (-0.11665111632322386 + t2 * (0.05282348784991832 + t2 * -0.01177049989616158)))));
  if (ay > ax) a = Math.PI / 2 - a;
  if (x < 0) a = Math.PI - a;
  return y < 0 ? -a : a;
}
