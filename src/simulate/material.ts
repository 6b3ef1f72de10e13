// Material effects of a module crossing: multiple-scattering angle (Highland) and the random deflection of a
// momentum vector, plus a mean ionisation energy loss. Silicon only: modules carry their own thickness.

/** Radiation length of silicon in mm (PDG: 9.37 cm). */
export const SILICON_X0_MM = 93.7;
/** Mean ionisation loss of a minimum-ionising particle in silicon, GeV per mm (PDG: 3.88 MeV/cm). */
export const SILICON_DEDX_GEV_PER_MM = 3.88e-4;

const ELECTRON_MASS_GEV = 0.000510999;
/** Bethe–Bloch for silicon (PDG 2018, eq. 33.5; density effect with Sternheimer's silicon parameters): K·Z/A·ρ in GeV
 * per mm, mean excitation energy I in GeV, and x0, x1, C̄, a, k of δ(βγ). */
const SI_K_Z_A_RHO_GEV_PER_MM = 0.307075e-4 * (14 / 28.0855) * 2.329;
const SI_I_GEV = 173e-9;
const SI_DENSITY = { x0: 0.2015, x1: 2.8716, cBar: 4.4355, a: 0.1492, k: 3.2546 };

/** βγ of the minimum of Bethe–Bloch in silicon. */
const MIN_IONISING_BETA_GAMMA = 3.5;

/**
 * Ionisation loss in silicon, GeV per mm, of a particle of momentum p and mass m (unit charge): Bethe–Bloch below
 * minimum ionisation (about 1/β² times the 3.88 MeV/cm minimum — a 0.3 GeV proton loses ~6×, so slow protons knocked
 * out in hadronic interactions stop within a few layers, as the real events' secondaries do), the minimum above it:
 * the relativistic rise goes into delta rays that leave thin layers, and the layers' material was calibrated on the
 * real sample's median momentum loss of 0.5–5 GeV particles with the minimum.
 */
export function siliconDedxGeVPerMm(pGeV: number, massGeV: number): number {
  const bg = pGeV / massGeV;
  if (bg >= MIN_IONISING_BETA_GAMMA) return SILICON_DEDX_GEV_PER_MM;
  const bg2 = bg * bg;
  const gamma = Math.sqrt(1 + bg2);
  const beta2 = bg2 / (1 + bg2);
  const me = ELECTRON_MASS_GEV;
  const r = me / massGeV;
  const tMax = (2 * me * bg2) / (1 + 2 * gamma * r + r * r);
  const x = Math.log10(bg);
  const d = SI_DENSITY;
  let delta = 0;
  if (x >= d.x1) delta = 2 * Math.LN10 * x - d.cBar;
  else if (x >= d.x0) delta = 2 * Math.LN10 * x - d.cBar + d.a * Math.pow(d.x1 - x, d.k);
  const bracket = 0.5 * Math.log((2 * me * bg2 * tMax) / (SI_I_GEV * SI_I_GEV)) - beta2 - delta / 2;
  // Below βγ ≈ 0.05 (a few MeV of kinetic energy for a proton) the formula fails; the particle stops there anyway.
  return (SI_K_Z_A_RHO_GEV_PER_MM / beta2) * Math.max(bracket, 1);
}

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
