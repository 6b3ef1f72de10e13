// Growable columnar store of the hits made while an event is simulated (signal and noise), with their truth
// and their cells; sorted into file order and converted to the TrackML tables at the end of the event.

function growF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
function growI32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

export class HitBuffer {
  length = 0;
  module = new Int32Array(4096);
  /** Row in the ParticleList, −1 for noise. */
  particle = new Int32Array(4096);
  /** Measured (digitised) position, mm. */
  x = new Float64Array(4096);
  y = new Float64Array(4096);
  z = new Float64Array(4096);
  /** True crossing point (mm) and momentum (GeV) at the module. */
  tx = new Float64Array(4096);
  ty = new Float64Array(4096);
  tz = new Float64Array(4096);
  tpx = new Float64Array(4096);
  tpy = new Float64Array(4096);
  tpz = new Float64Array(4096);
  /** Cells of hit i are cell rows cellStart[i] … cellStart[i] + cellCount[i] − 1. */
  cellStart = new Int32Array(4096);
  cellCount = new Int32Array(4096);

  cellLength = 0;
  ch0 = new Int32Array(16384);
  ch1 = new Int32Array(16384);
  cellValue = new Float64Array(16384);

  /** Reserves a hit row and returns it; the caller fills the columns. */
  addHit(): number {
    if (this.length === this.module.length) {
      const n = this.module.length * 2;
      this.module = growI32(this.module, n);
      this.particle = growI32(this.particle, n);
      this.cellStart = growI32(this.cellStart, n);
      this.cellCount = growI32(this.cellCount, n);
      this.x = growF64(this.x, n);
      this.y = growF64(this.y, n);
      this.z = growF64(this.z, n);
      this.tx = growF64(this.tx, n);
      this.ty = growF64(this.ty, n);
      this.tz = growF64(this.tz, n);
      this.tpx = growF64(this.tpx, n);
      this.tpy = growF64(this.tpy, n);
      this.tpz = growF64(this.tpz, n);
    }
    const i = this.length++;
    this.cellStart[i] = this.cellLength;
    this.cellCount[i] = 0;
    return i;
  }

  /** Appends a cell to the most recently added hit. */
  addCell(ch0: number, ch1: number, value: number): void {
    if (this.cellLength === this.ch0.length) {
      const n = this.ch0.length * 2;
      this.ch0 = growI32(this.ch0, n);
      this.ch1 = growI32(this.ch1, n);
      this.cellValue = growF64(this.cellValue, n);
    }
    const c = this.cellLength++;
    this.ch0[c] = ch0;
    this.ch1[c] = ch1;
    this.cellValue[c] = value;
    this.cellCount[this.length - 1]++;
  }
}
