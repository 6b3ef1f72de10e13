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
  /** Initial capacities (hits, cells): an event that outgrows them doubles its arrays. */
  constructor(hitCapacity = 4096, cellCapacity = 16384) {
    this.module = new Int32Array(hitCapacity);
    this.particle = new Int32Array(hitCapacity);
    this.x = new Float64Array(hitCapacity);
    this.y = new Float64Array(hitCapacity);
    this.z = new Float64Array(hitCapacity);
    this.tx = new Float64Array(hitCapacity);
    this.ty = new Float64Array(hitCapacity);
    this.tz = new Float64Array(hitCapacity);
    this.tpx = new Float64Array(hitCapacity);
    this.tpy = new Float64Array(hitCapacity);
    this.tpz = new Float64Array(hitCapacity);
    this.cellStart = new Int32Array(hitCapacity);
    this.cellCount = new Int32Array(hitCapacity);
    this.ch0 = new Int32Array(cellCapacity);
    this.ch1 = new Int32Array(cellCapacity);
    this.cellValue = new Float64Array(cellCapacity);
  }
  module: Int32Array<ArrayBuffer>;
  /** Row in the ParticleList, −1 for noise. */
  particle: Int32Array<ArrayBuffer>;
  /** Measured (digitised) position, mm. */
  x: Float64Array<ArrayBuffer>;
  y: Float64Array<ArrayBuffer>;
  z: Float64Array<ArrayBuffer>;
  /** True crossing point (mm) and momentum (GeV) at the module. */
  tx: Float64Array<ArrayBuffer>;
  ty: Float64Array<ArrayBuffer>;
  tz: Float64Array<ArrayBuffer>;
  tpx: Float64Array<ArrayBuffer>;
  tpy: Float64Array<ArrayBuffer>;
  tpz: Float64Array<ArrayBuffer>;
  /** Cells of hit i are cell rows cellStart[i] … cellStart[i] + cellCount[i] − 1. */
  cellStart: Int32Array<ArrayBuffer>;
  cellCount: Int32Array<ArrayBuffer>;

  cellLength = 0;
  ch0: Int32Array<ArrayBuffer>;
  ch1: Int32Array<ArrayBuffer>;
  cellValue: Float64Array<ArrayBuffer>;

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
