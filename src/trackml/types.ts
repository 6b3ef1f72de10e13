// The event model: one columnar record per TrackML file kind. Row i of every column is row i of the file.
// Particle ids are 64-bit and stay exact (BigUint64Array); hit ids are arbitrary (not 1..N), so map them.
// Type declarations plus two allocators; no I/O here.

/** `event…-hits.csv`: one row per measured hit. Positions in mm. */
export interface Hits {
  hitId: Uint32Array;
  x: Float32Array;
  y: Float32Array;
  z: Float32Array;
  volumeId: Uint8Array;
  layerId: Uint8Array;
  moduleId: Uint16Array;
}

/** `event…-cells.csv`: one row per activated channel of a hit. */
export interface Cells {
  hitId: Uint32Array;
  ch0: Uint16Array;
  ch1: Uint16Array;
  value: Float32Array;
}

/** `event…-particles.csv`: generated particles. Vertex in mm, momentum in GeV. `particleType` (PDG id) is
 * present in the throughput-phase format only. */
export interface Particles {
  particleId: BigUint64Array;
  particleType: Int32Array | undefined;
  vx: Float32Array;
  vy: Float32Array;
  vz: Float32Array;
  px: Float32Array;
  py: Float32Array;
  pz: Float32Array;
  q: Int8Array;
  nhits: Uint16Array;
}

/** `event…-truth.csv`: per hit, the particle that made it (0 = noise), its true position (mm), momentum (GeV)
 * and the official score weight. Weights are float64 so sums match the reference score to 1e-9. */
export interface Truth {
  hitId: Uint32Array;
  particleId: BigUint64Array;
  tx: Float32Array;
  ty: Float32Array;
  tz: Float32Array;
  tpx: Float32Array;
  tpy: Float32Array;
  tpz: Float32Array;
  weight: Float64Array;
}

/** A submission: `hit_id,track_id`. Track ids are any 64-bit integers (people submit particle ids). */
export interface Submission {
  hitId: Uint32Array;
  trackId: BigInt64Array;
}

/** `detectors.csv`: one row per module. Centre in mm; rot is the row-major 3×3 local→global rotation
 * (columns u, v, w); half sizes, thickness and pitch in mm. */
export interface Detectors {
  volumeId: Uint8Array;
  layerId: Uint8Array;
  moduleId: Uint16Array;
  cx: Float64Array;
  cy: Float64Array;
  cz: Float64Array;
  /** 9 values per module: rot_xu, rot_xv, rot_xw, rot_yu, rot_yv, rot_yw, rot_zu, rot_zv, rot_zw. */
  rot: Float64Array;
  thicknessMm: Float64Array;
  minHalfUMm: Float64Array;
  maxHalfUMm: Float64Array;
  halfVMm: Float64Array;
  pitchUMm: Float64Array;
  pitchVMm: Float64Array;
}

/** One event as read from a directory: hits always; the rest when their files exist. */
export interface TrackmlEvent {
  /** e.g. "event000000001" */
  eventId: string;
  hits: Hits;
  cells?: Cells;
  particles?: Particles;
  truth?: Truth;
}

/** Zero-filled hits columns for `n` rows (builders fill them in place). */
export function allocHits(n: number): Hits {
  return {
    hitId: new Uint32Array(n),
    x: new Float32Array(n),
    y: new Float32Array(n),
    z: new Float32Array(n),
    volumeId: new Uint8Array(n),
    layerId: new Uint8Array(n),
    moduleId: new Uint16Array(n),
  };
}

/** Zero-filled truth columns for `n` rows. */
export function allocTruth(n: number): Truth {
  return {
    hitId: new Uint32Array(n),
    particleId: new BigUint64Array(n),
    tx: new Float32Array(n),
    ty: new Float32Array(n),
    tz: new Float32Array(n),
    tpx: new Float32Array(n),
    tpy: new Float32Array(n),
    tpz: new Float32Array(n),
    weight: new Float64Array(n),
  };
}
