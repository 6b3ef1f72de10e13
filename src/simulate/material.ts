// Material effects of a module crossing: multiple-scattering angle (Highland) and the random deflection of a
// momentum vector, plus a mean ionisation energy loss. Silicon only: modules carry their own thickness.

/** Radiation length of silicon in mm (PDG: 9.37 cm). */
export const SILICON_X0_MM = 93.7;
/** Mean ionisation loss of a minimum-ionising particle in silicon, GeV per mm (PDG: 3.88 MeV/cm). */
export const SILICON_DEDX_GEV_PER_MM = 3.88e-4;

/**
 * Highland's plane-projected r.m.s. scattering angle in rad (PDG 2018, eq. 34.15):
 * θ0 = 13.6 MeV / (β c p) · |z| · √(x/X0) · (1 + 0.038 · ln(x z² / (X0 β²))).
 */
export function highlandTheta0(pGeV: number, massGeV: number, charge: number, xOverX0: number): number {
  if (xOverX0 <= 0) return 0;
  const e = Math.hypot(pGeV, massGeV);
  const beta = pGeV / e;
  const z = Math.abs(charge);
  const theta0 = (0.0136 / (beta * pGeV)) * z * Math.sqrt(xOverX0) * (1 + 0.038 * Math.log((xOverX0 * z * z) / (beta * beta)));
  return Math.max(0, theta0);
}

/**
 * Deflects the momentum p (in place, GeV) by two independent Gaussian angles of r.m.s. theta0 in the two
 * planes containing p; |p| is kept. `g1`, `g2` are standard normal deviates.
 */
export function scatterMomentum(p: Float64Array, theta0: number, g1: number, g2: number): void {
  const pMag = Math.hypot(p[0], p[1], p[2]);
  const dx = p[0] / pMag;
  const dy = p[1] / pMag;
  const dz = p[2] / pMag;
  // Two unit vectors perpendicular to d: e1 in the transverse plane, e2 = d × e1.
  const pt = Math.hypot(dx, dy);
  let e1x: number, e1y: number, e1z: number;
  if (pt > 1e-9) {
    e1x = -dy / pt;
    e1y = dx / pt;
    e1z = 0;
  } else {
    e1x = 1;
    e1y = 0;
    e1z = 0;
  }
  const e2x = dy * e1z - dz * e1y;
  const e2y = dz * e1x - dx * e1z;
  const e2z = dx * e1y - dy * e1x;
  const a1 = theta0 * g1;
  const a2 = theta0 * g2;
  // Small-angle rotation, then renormalise to keep |p| exactly.
  let nx = dx + a1 * e1x + a2 * e2x;
  let ny = dy + a1 * e1y + a2 * e2y;
  let nz = dz + a1 * e1z + a2 * e2z;
  const n = Math.hypot(nx, ny, nz);
  nx /= n;
  ny /= n;
  nz /= n;
  p[0] = nx * pMag;
  p[1] = ny * pMag;
  p[2] = nz * pMag;
}
