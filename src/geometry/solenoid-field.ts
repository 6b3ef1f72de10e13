// The tracker's magnetic field: a finite solenoid (a uniform current sheet of given radius and half-length), as
// Biot–Savart superposition of circular current loops, tabulated once on an (r, z) grid and interpolated. The
// real TrackML events were simulated in such a field: their particles turn less beyond |z| ≈ 1 m, and forward
// ones turn the other way beyond |z| ≈ 2.5 m, where the radial field dominates (README, simulator section).

/** Field shape: `uniform` is B = (0, 0, centralFieldT) everywhere; `solenoid` a finite current sheet whose field at
 * the origin is centralFieldT. */
export interface SolenoidSpec {
  centralFieldT: number;
  /** Infinity gives the uniform field. */
  radiusMm: number;
  halfLengthMm: number;
}

/** Complete elliptic integrals K(m) and E(m) (parameter m = k²) by the arithmetic–geometric mean. */
export function ellipticKE(m: number): [k: number, e: number] {
  let a = 1;
  let b = Math.sqrt(1 - m);
  let c = Math.sqrt(m);
  let sum = 0.5 * c * c;
  let pow = 0.5;
  for (let i = 0; i < 30 && Math.abs(c) > 1e-15; i++) {
    const an = 0.5 * (a + b);
    const bn = Math.sqrt(a * b);
    c = 0.5 * (a - b);
    a = an;
    b = bn;
    pow *= 2;
    sum += pow * c * c;
  }
  const k = Math.PI / (2 * a);
  return [k, k * (1 - sum)];
}

/**
 * Field (in units of μ0·I / π per unit of loop current, i.e. the loop's own scale) of a circular loop of radius a
 * in the plane z = 0 at the point (ρ, ζ): [Bρ, Bz] (Smythe; Jackson 5.37 in closed form). ρ ≥ 0.
 */
export function loopField(a: number, rho: number, zeta: number): [number, number] {
  const s = a * a + rho * rho + zeta * zeta;
  const alpha2 = Math.max(s - 2 * a * rho, 1e-300);
  const beta2 = s + 2 * a * rho;
  const beta = Math.sqrt(beta2);
  const m = 1 - alpha2 / beta2;
  const [K, E] = ellipticKE(m);
  const bz = ((a * a - rho * rho - zeta * zeta) * E + alpha2 * K) / (2 * alpha2 * beta);
  // On the axis Bρ vanishes; the formula's 0/0 is avoided.
  const br = rho < 1e-9 ? 0 : (zeta * (s * E - alpha2 * K)) / (2 * alpha2 * beta * rho);
  return [br, bz];
}

/** Grid spacing of the tabulated field in r and z, mm: the field changes on the scale of the coil radius (metres),
 * so bilinear interpolation errs by ~1e-4 of the field. Each r row costs one running integral, each z node nothing. */
const GRID_R_MM = 20;
const GRID_MM = 10;
/** Tabulated extent: the whole tracker (r < 1.03 m, |z| < 3 m) with room (but never the coil itself). */
const GRID_R_MAX_MM = 1200;
const GRID_Z_MAX_MM = 3400;
/** Step of the running integral of the loop field along z, mm (trapezoid rule; the loop field varies on the scale
 * of the distance to the coil, ≥ 100 mm inside the tracker). */
const SHEET_STEP_MM = 4;

export class SolenoidField {
  readonly spec: SolenoidSpec;
  readonly uniform: boolean;
  private readonly nR: number;
  private readonly nZ: number;
  /** Radial grid step, mm: GRID_R_MM, or less so that the grid stops short of the coil. */
  private readonly rStepMm: number;
  /** Bρ and Bz at grid node (i_r, i_z) = i_z * nR + i_r, for z ≥ 0 (Bz is even in z, Bρ odd). */
  private readonly gridBr: Float64Array;
  private readonly gridBz: Float64Array;

  constructor(spec: SolenoidSpec) {
    this.spec = spec;
    this.uniform = !Number.isFinite(spec.radiusMm) || !Number.isFinite(spec.halfLengthMm);
    const rMax = Math.min(GRID_R_MAX_MM, 0.95 * spec.radiusMm);
    this.nR = this.uniform ? 0 : Math.ceil(rMax / GRID_R_MM) + 1;
    this.rStepMm = this.uniform ? GRID_R_MM : rMax / (this.nR - 1);
    this.nZ = this.uniform ? 0 : Math.ceil(GRID_Z_MAX_MM / GRID_MM) + 1;
    this.gridBr = new Float64Array(this.nR * this.nZ);
    this.gridBz = new Float64Array(this.nR * this.nZ);
    if (!this.uniform) this.tabulate();
  }

  /**
   * Biot–Savart over the sheet, normalised so that Bz(0, 0) = centralFieldT. The sheet is a stack of loops at
   * z' ∈ [−L, L], so its field at (ρ, z) is G(ρ, z + L) − G(ρ, z − L) with G(ρ, ζ) the running integral of one
   * loop's field over ζ: one integral per grid row instead of one per node.
   */
  private tabulate(): void {
    const { radiusMm: a, halfLengthMm: L } = this.spec;
    const nS = Math.ceil((GRID_Z_MAX_MM + L) / SHEET_STEP_MM);
    // G on ζ = −nS·h … +nS·h (index j ↔ ζ = (j − nS)·h).
    const gBr = new Float64Array(2 * nS + 1);
    const gBz = new Float64Array(2 * nS + 1);
    const row = (rho: number): void => {
      let prev = loopField(a, rho, -nS * SHEET_STEP_MM);
      gBr[0] = 0;
      gBz[0] = 0;
      for (let j = 1; j <= 2 * nS; j++) {
        const cur = loopField(a, rho, (j - nS) * SHEET_STEP_MM);
        gBr[j] = gBr[j - 1] + 0.5 * SHEET_STEP_MM * (prev[0] + cur[0]);
        gBz[j] = gBz[j - 1] + 0.5 * SHEET_STEP_MM * (prev[1] + cur[1]);
        prev = cur;
      }
    };
    const at = (g: Float64Array, zeta: number): number => {
      const f = zeta / SHEET_STEP_MM + nS;
      const j = Math.min(2 * nS - 1, Math.max(0, Math.floor(f)));
      return g[j] + (f - j) * (g[j + 1] - g[j]);
    };
    row(0);
    const scale = this.spec.centralFieldT / (at(gBz, L) - at(gBz, -L));
    for (let ir = 0; ir < this.nR; ir++) {
      row(ir * this.rStepMm);
      for (let iz = 0; iz < this.nZ; iz++) {
        const z = iz * GRID_MM;
        // Loops at z' see the point at ζ = z − z'; z' from −L to L is ζ from z + L down to z − L.
        this.gridBr[iz * this.nR + ir] = (at(gBr, z + L) - at(gBr, z - L)) * scale;
        this.gridBz[iz * this.nR + ir] = (at(gBz, z + L) - at(gBz, z - L)) * scale;
      }
    }
  }

  /** Field at (x, y, z) mm in tesla, written into out[0..2]; bilinear in (r, |z|), clamped at the grid's edge. */
  field(x: number, y: number, z: number, out: Float64Array): void {
    if (this.uniform) {
      out[0] = 0;
      out[1] = 0;
      out[2] = this.spec.centralFieldT;
      return;
    }
    const r = Math.sqrt(x * x + y * y);
    const az = Math.abs(z);
    let fr = r / this.rStepMm;
    let fz = az / GRID_MM;
    if (fr > this.nR - 1.000001) fr = this.nR - 1.000001;
    if (fz > this.nZ - 1.000001) fz = this.nZ - 1.000001;
    const ir = Math.floor(fr);
    const iz = Math.floor(fz);
    const ur = fr - ir;
    const uz = fz - iz;
    const k = iz * this.nR + ir;
    const nR = this.nR;
    const w00 = (1 - ur) * (1 - uz);
    const w10 = ur * (1 - uz);
    const w01 = (1 - ur) * uz;
    const w11 = ur * uz;
    const br = w00 * this.gridBr[k] + w10 * this.gridBr[k + 1] + w01 * this.gridBr[k + nR] + w11 * this.gridBr[k + nR + 1];
    out[2] = w00 * this.gridBz[k] + w10 * this.gridBz[k + 1] + w01 * this.gridBz[k + nR] + w11 * this.gridBz[k + nR + 1];
    // Bρ is odd in z and points along the radius.
    const brSigned = z < 0 ? -br : br;
    if (r > 1e-9) {
      out[0] = (brSigned * x) / r;
      out[1] = (brSigned * y) / r;
    } else {
      out[0] = 0;
      out[1] = 0;
    }
  }
}

const cache = new Map<string, SolenoidField>();

/** The field for `spec`, tabulated once per process (a few hundred ms) and shared. */
export function solenoidField(spec: SolenoidSpec): SolenoidField {
  const key = `${spec.centralFieldT}|${spec.radiusMm}|${spec.halfLengthMm}`;
  let f = cache.get(key);
  if (f === undefined) {
    f = new SolenoidField(spec);
    cache.set(key, f);
  }
  return f;
}
