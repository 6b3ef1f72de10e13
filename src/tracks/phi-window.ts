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
