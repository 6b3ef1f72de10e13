// A growable columnar particle store used while an event is built (secondaries are appended during
// propagation). Converted to the TrackML `Particles` model at the end.
import type { Particles } from '../trackml/types.ts';

export class ParticleList {
  length = 0;
  particleId = new BigUint64Array(1024);
  pdg = new Int32Array(1024);
  q = new Int8Array(1024);
  vx = new Float64Array(1024);
  vy = new Float64Array(1024);
  vz = new Float64Array(1024);
  px = new Float64Array(1024);
  py = new Float64Array(1024);
  pz = new Float64Array(1024);
  massGeV = new Float64Array(1024);
  nhits = new Uint16Array(1024);
  /** 0 for primaries, else the generation from the id (kept apart to avoid BigInt work in hot loops). */
  generation = new Uint16Array(1024);

  add(
    id: bigint,
    pdg: number,
    q: number,
    massGeV: number,
    generation: number,
    vx: number,
    vy: number,
    vz: number,
    px: number,
    py: number,
    pz: number,
  ): number {
    if (this.length === this.pdg.length) this.grow();
    const i = this.length++;
    this.particleId[i] = id;
    this.pdg[i] = pdg;
    this.q[i] = q;
    this.massGeV[i] = massGeV;
    this.generation[i] = generation;
    this.vx[i] = vx;
    this.vy[i] = vy;
    this.vz[i] = vz;
    this.px[i] = px;
    this.py[i] = py;
    this.pz[i] = pz;
    this.nhits[i] = 0;
    return i;
  }

  private grow(): void {
    const n = this.pdg.length * 2;
    const f64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const ids = new BigUint64Array(n);
    ids.set(this.particleId);
    this.particleId = ids;
    const pdg = new Int32Array(n);
    pdg.set(this.pdg);
    this.pdg = pdg;
    const q = new Int8Array(n);
    q.set(this.q);
    this.q = q;
    const nhits = new Uint16Array(n);
    nhits.set(this.nhits);
    this.nhits = nhits;
    const generation = new Uint16Array(n);
    generation.set(this.generation);
    this.generation = generation;
    this.vx = f64(this.vx);
    this.vy = f64(this.vy);
    this.vz = f64(this.vz);
    this.px = f64(this.px);
    this.py = f64(this.py);
    this.pz = f64(this.pz);
    this.massGeV = f64(this.massGeV);
  }

  /** The TrackML particles table (rows in generation order, like the real files: grouped by vertex). */
  toParticles(): Particles {
    const n = this.length;
    return {
      particleId: this.particleId.slice(0, n),
      particleType: this.pdg.slice(0, n),
      vx: Float32Array.from(this.vx.subarray(0, n)),
      vy: Float32Array.from(this.vy.subarray(0, n)),
      vz: Float32Array.from(this.vz.subarray(0, n)),
      px: Float32Array.from(this.px.subarray(0, n)),
      py: Float32Array.from(this.py.subarray(0, n)),
      pz: Float32Array.from(this.pz.subarray(0, n)),
      q: this.q.slice(0, n),
      nhits: this.nhits.slice(0, n),
    };
  }
}
