// Helix segments in a non-uniform (solenoid) field. Each segment is a helix with Bz where it starts; the rest of the
// field along it (Bρ, the change of Bz) turns the momentum as an impulse Δp = 0.3·q·∫ dl × (B − Bz₀ẑ) along the chord,
// half before the segment is followed (predicted to the surface it heads for) and the rest at its real end
// (kick–drift–kick, second order in the segment length). In a uniform field nothing but the helix is done.
import type { SolenoidField } from '../geometry/index.ts';
import type { Helix } from './helix.ts';

/** Longest helix segment (3D path, mm) in a non-uniform field: the propagator restarts the helix on the way when the
 * next surface is farther (pixel to strip endcaps); 200 mm keeps strip-disk hits within ~0.4 mm of a Runge–Kutta
 * track. */
export const FIELD_SEGMENT_MAX_MM = 200;

export class FieldSegments {
  readonly uniform: boolean;
  /** Where the current segment starts, and the Bz (T) its helix uses. */
  private readonly start_ = new Float64Array(3);
  private bz0 = 0;
  /** Impulse already given at the segment's start (halfKick), and whether the segment still waits for it. */
  private readonly preKick = new Float64Array(3);
  private fresh = false;
  private readonly kick = new Float64Array(3);
  private readonly bScratch = new Float64Array(3);
  private readonly endScratch = new Float64Array(3);

  /** `pos` and `mom` are the propagator's current point (mm) and momentum (GeV), read and written in place. */
  constructor(
    private readonly field: SolenoidField,
    private readonly helix: Helix,
    private readonly pos: Float64Array,
    private readonly mom: Float64Array,
  ) {
    this.uniform = field.uniform;
  }

  /** Starts a helix segment at `pos` with momentum `mom`, with Bz there. */
  start(q: number): void {
    const pos = this.pos;
    const mom = this.mom;
    let bz = this.field.spec.centralFieldT;
    if (!this.field.uniform) {
      this.field.field(pos[0], pos[1], pos[2], this.bScratch);
      bz = this.bScratch[2];
      // Where the field reverses far outside the coil the helix needs a field; the impulse carries the rest.
      if (Math.abs(bz) < 1e-3) bz = 1e-3;
    }
    this.start_[0] = pos[0];
    this.start_[1] = pos[1];
    this.start_[2] = pos[2];
    this.bz0 = bz;
    this.preKick[0] = 0;
    this.preKick[1] = 0;
    this.preKick[2] = 0;
    this.fresh = !this.field.uniform;
    this.helix.set(pos[0], pos[1], pos[2], mom[0], mom[1], mom[2], q, bz);
  }

  /** Δp = 0.3·q·∫ dl × (B − Bz₀ẑ) along the chord from the segment's start to `end` (Simpson, three points): the
   * turn the segment's helix (with Bz₀ of its start) leaves out. Written into `this.kick`. */
  private chordImpulse(q: number, end: Float64Array): void {
    const s = this.start_;
    const b = this.bScratch;
    const dx = end[0] - s[0];
    const dy = end[1] - s[1];
    const dz = end[2] - s[2];
    let bx = 0;
    let by = 0;
    let bz = 0;
    for (let k = 0; k < 3; k++) {
      const f = 0.5 * k;
      const w = k === 1 ? 4 / 6 : 1 / 6;
      this.field.field(s[0] + f * dx, s[1] + f * dy, s[2] + f * dz, b);
      bx += w * b[0];
      by += w * b[1];
      bz += w * (b[2] - this.bz0);
    }
    // 0.3 GeV per (T·m); chord in mm.
    const c = 0.3e-3 * q;
    this.kick[0] = c * (dy * bz - dz * by);
    this.kick[1] = c * (dz * bx - dx * bz);
    this.kick[2] = c * (dx * by - dy * bx);
  }

  /** Adds (k0, k1, k2) to `mom`, keeping |p| (a magnetic field does no work). */
  private turn(k0: number, k1: number, k2: number): void {
    const mom = this.mom;
    const pMag = Math.hypot(mom[0], mom[1], mom[2]);
    mom[0] += k0;
    mom[1] += k1;
    mom[2] += k2;
    const scale = pMag / Math.hypot(mom[0], mom[1], mom[2]);
    mom[0] *= scale;
    mom[1] *= scale;
    mom[2] *= scale;
  }

  /**
   * Kick–drift–kick: before a fresh segment is followed to the surface the helix predicts it reaches at transverse
   * path `tEnd`, half the impulse along that chord turns the starting momentum (the helix restarts with it); the
   * rest is given at the segment's real end (finish). With the 200 mm cap, hits in the short-strip disks stay within
   * 0.4 mm of a Runge–Kutta track; the whole impulse at the segment's end (no cap) put them up to 11 mm off.
   */
  halfKick(q: number, tEnd: number): void {
    if (!this.fresh) return;
    this.fresh = false;
    const end = this.endScratch;
    this.helix.position(tEnd, end);
    this.chordImpulse(q, end);
    const k = this.kick;
    this.preKick[0] = 0.5 * k[0];
    this.preKick[1] = 0.5 * k[1];
    this.preKick[2] = 0.5 * k[2];
    // The helix starts where it started, with the turned momentum.
    const pos = this.pos;
    const s = this.start_;
    pos[0] = s[0];
    pos[1] = s[1];
    pos[2] = s[2];
    this.turn(this.preKick[0], this.preKick[1], this.preKick[2]);
    const mom = this.mom;
    this.helix.set(s[0], s[1], s[2], mom[0], mom[1], mom[2], q, this.bz0);
  }

  /** At the end `pos` of a segment: turns `mom` by the rest of the segment's impulse. Nothing in a uniform field. */
  finish(q: number): void {
    if (this.field.uniform) return;
    this.chordImpulse(q, this.pos);
    const k = this.kick;
    this.turn(k[0] - this.preKick[0], k[1] - this.preKick[1], k[2] - this.preKick[2]);
  }
}
