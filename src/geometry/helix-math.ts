// The two small helix formulas every stage needs, in one place: azimuth differences wrapped into [−π, π), and a
// charged particle's transverse radius of curvature from its transverse momentum (and back) in the solenoid field.
// Units: rad, mm, GeV, tesla.

const TWO_PI = 2 * Math.PI;

/** The TrackML detector's solenoid field, T. */
export const B_FIELD_T = 2;

/** An azimuth (difference) wrapped into [−π, π). Any finite input; one comparison when it is already inside. */
export function wrapPhi(dPhiRad: number): number {
  let d = dPhiRad;
  while (d >= Math.PI) d -= TWO_PI;
  while (d < -Math.PI) d += TWO_PI;
  return d;
}

/** R[mm] = pT[GeV] / (0.3 · B[T]) · 1000: the transverse radius of curvature of a unit-charge particle. */
export function radiusMmFromPt(ptGeV: number, fieldT: number = B_FIELD_T): number {
  return (ptGeV / (0.3 * fieldT)) * 1000;
}

/** pT[GeV] = 0.3 · B[T] · R[m]: the inverse of radiusMmFromPt. */
export function ptGeVFromRadius(radiusMm: number, fieldT: number = B_FIELD_T): number {
  return (0.3 * fieldT * radiusMm) / 1000;
}

/** Transverse radius per GeV of pT of a unit-charge particle in the TrackML field, mm (1666.67). */
export const MM_PER_GEV = radiusMmFromPt(1);
