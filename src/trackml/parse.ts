// Parsers for every TrackML file kind: a file's (inflated) bytes → columnar event model. Column names and kinds
// follow the official files; hit ids must be unique where a hit id is the row key. Pure: read.ts reads the files
// from disk, the web page parses dropped ones with the same functions.
import { InputError } from '../core/errors.ts';
import { type Column, type ColumnSpec, type ParseOptions, parseCsv } from './csv.ts';
import { DETECTOR_MAX_XY_MM, DETECTOR_MAX_Z_MM, detectorIdProblem, insideDetector } from './detector-reach.ts';
import { formatFloat32 } from './format-number.ts';
import { findDuplicateRows } from './hit-lookup.ts';
import type { Cells, Detectors, Hits, Particles, Submission, Truth } from './types.ts';

export const HITS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'hit_id', kind: 'u32' },
  { name: 'x', kind: 'f32' },
  { name: 'y', kind: 'f32' },
  { name: 'z', kind: 'f32' },
  { name: 'volume_id', kind: 'u8' },
  { name: 'layer_id', kind: 'u8' },
  { name: 'module_id', kind: 'u16' },
];

export const CELLS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'hit_id', kind: 'u32' },
  { name: 'ch0', kind: 'u16' },
  { name: 'ch1', kind: 'u16' },
  { name: 'value', kind: 'f32' },
];

export const PARTICLES_COLUMNS: readonly ColumnSpec[] = [
  { name: 'particle_id', kind: 'u64' },
  { name: 'particle_type', kind: 'i32', optional: true },
  { name: 'vx', kind: 'f32' },
  { name: 'vy', kind: 'f32' },
  { name: 'vz', kind: 'f32' },
  { name: 'px', kind: 'f32' },
  { name: 'py', kind: 'f32' },
  { name: 'pz', kind: 'f32' },
  { name: 'q', kind: 'i8' },
  { name: 'nhits', kind: 'u16' },
];

export const TRUTH_COLUMNS: readonly ColumnSpec[] = [
  { name: 'hit_id', kind: 'u32' },
  { name: 'particle_id', kind: 'u64' },
  { name: 'tx', kind: 'f32' },
  { name: 'ty', kind: 'f32' },
  { name: 'tz', kind: 'f32' },
  { name: 'tpx', kind: 'f32' },
  { name: 'tpy', kind: 'f32' },
  { name: 'tpz', kind: 'f32' },
  { name: 'weight', kind: 'f64' },
];

export const SUBMISSION_COLUMNS: readonly ColumnSpec[] = [
  { name: 'hit_id', kind: 'u32' },
  { name: 'track_id', kind: 'i64' },
];

const ROT_NAMES = ['rot_xu', 'rot_xv', 'rot_xw', 'rot_yu', 'rot_yv', 'rot_yw', 'rot_zu', 'rot_zv', 'rot_zw'] as const;

export const DETECTORS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'volume_id', kind: 'u8' },
  { name: 'layer_id', kind: 'u8' },
  { name: 'module_id', kind: 'u16' },
  { name: 'cx', kind: 'f64' },
  { name: 'cy', kind: 'f64' },
  { name: 'cz', kind: 'f64' },
  ...ROT_NAMES.map((name): ColumnSpec => ({ name, kind: 'f64' })),
  { name: 'module_t', kind: 'f64' },
  { name: 'module_minhu', kind: 'f64' },
  { name: 'module_maxhu', kind: 'f64' },
  { name: 'module_hv', kind: 'f64' },
  { name: 'pitch_u', kind: 'f64' },
  { name: 'pitch_v', kind: 'f64' },
];

/** Throws an InputError at the first row whose position lies outside the detector's reach. */
function checkPositions(file: string, names: readonly [string, string, string], x: Float32Array, y: Float32Array, z: Float32Array): void {
  const cols = [x, y, z];
  for (let i = 0; i < x.length; i++) {
    if (insideDetector(x[i], y[i], z[i])) continue;
    for (let c = 0; c < 3; c++) {
      const limit = c === 2 ? DETECTOR_MAX_Z_MM : DETECTOR_MAX_XY_MM;
      if (Math.abs(cols[c][i]) <= limit) continue;
      throw new InputError(
        file,
        i + 2,
        `column "${names[c]}": ${formatFloat32(cols[c][i])} mm is outside the detector (|${names[c]}| ≤ ${limit} mm)`,
      );
    }
  }
}

/** Truth weights are non-negative (the score is a weighted sum; a negative weight would subtract). */
function checkWeights(file: string, weight: Float64Array): void {
  for (let i = 0; i < weight.length; i++) {
    if (!(weight[i] >= 0)) throw new InputError(file, i + 2, `column "weight": ${weight[i]} is negative; truth weights are ≥ 0`);
  }
}

function readColumns(file: string, bytes: Uint8Array, specs: readonly ColumnSpec[], options?: ParseOptions): (Column | undefined)[] {
  return parseCsv(file, bytes, specs, options).columns;
}

/** Throws an InputError naming both lines when a hit id appears twice (row i is file line i + 2). */
function checkUniqueHitIds(file: string, hitId: Uint32Array): void {
  const dup = findDuplicateRows(hitId);
  if (dup !== undefined) {
    const [first, second] = dup;
    throw new InputError(file, second + 2, `duplicate hit_id ${hitId[second]} (first on line ${first + 2})`);
  }
}

export function parseHits(file: string, bytes: Uint8Array): Hits {
  const c = readColumns(file, bytes, HITS_COLUMNS);
  const hits: Hits = {
    hitId: c[0] as Uint32Array,
    x: c[1] as Float32Array,
    y: c[2] as Float32Array,
    z: c[3] as Float32Array,
    volumeId: c[4] as Uint8Array,
    layerId: c[5] as Uint8Array,
    moduleId: c[6] as Uint16Array,
  };
  checkUniqueHitIds(file, hits.hitId);
  checkPositions(file, ['x', 'y', 'z'], hits.x, hits.y, hits.z);
  for (let i = 0; i < hits.volumeId.length; i++) {
    const problem = detectorIdProblem(hits.volumeId[i], hits.layerId[i]);
    if (problem !== undefined) throw new InputError(file, i + 2, problem);
  }
  return hits;
}

/** Cells have several rows per hit, so hit ids repeat here by design. */
export function parseCells(file: string, bytes: Uint8Array): Cells {
  const c = readColumns(file, bytes, CELLS_COLUMNS);
  return { hitId: c[0] as Uint32Array, ch0: c[1] as Uint16Array, ch1: c[2] as Uint16Array, value: c[3] as Float32Array };
}

export function parseParticles(file: string, bytes: Uint8Array): Particles {
  const c = readColumns(file, bytes, PARTICLES_COLUMNS);
  const particles: Particles = {
    particleId: c[0] as BigUint64Array,
    particleType: c[1] as Int32Array | undefined,
    vx: c[2] as Float32Array,
    vy: c[3] as Float32Array,
    vz: c[4] as Float32Array,
    px: c[5] as Float32Array,
    py: c[6] as Float32Array,
    pz: c[7] as Float32Array,
    q: c[8] as Int8Array,
    nhits: c[9] as Uint16Array,
  };
  checkPositions(file, ['vx', 'vy', 'vz'], particles.vx, particles.vy, particles.vz);
  return particles;
}

export function parseTruth(file: string, bytes: Uint8Array): Truth {
  const c = readColumns(file, bytes, TRUTH_COLUMNS);
  const truth: Truth = {
    hitId: c[0] as Uint32Array,
    particleId: c[1] as BigUint64Array,
    tx: c[2] as Float32Array,
    ty: c[3] as Float32Array,
    tz: c[4] as Float32Array,
    tpx: c[5] as Float32Array,
    tpy: c[6] as Float32Array,
    tpz: c[7] as Float32Array,
    weight: c[8] as Float64Array,
  };
  checkUniqueHitIds(file, truth.hitId);
  checkPositions(file, ['tx', 'ty', 'tz'], truth.tx, truth.ty, truth.tz);
  checkWeights(file, truth.weight);
  return truth;
}

/** The truth columns the score uses (hit_id, particle_id, weight). */
export type ScoringTruth = Pick<Truth, 'hitId' | 'particleId' | 'weight'>;

const UNSCORED_TRUTH_COLUMNS = ['tx', 'ty', 'tz', 'tpx', 'tpy', 'tpz'];

/** Truth as the scorer reads it: the three columns the score uses, parsed and checked as parseTruth does (unique
 * hit ids, weights ≥ 0); the six position and momentum columns must be present and number-like but are not
 * converted (two thirds of the parse), so their detector-reach check is left out. */
export function parseTruthForScoring(file: string, bytes: Uint8Array): ScoringTruth {
  const c = readColumns(file, bytes, TRUTH_COLUMNS, { skipColumns: UNSCORED_TRUTH_COLUMNS });
  const truth: ScoringTruth = { hitId: c[0] as Uint32Array, particleId: c[1] as BigUint64Array, weight: c[8] as Float64Array };
  checkUniqueHitIds(file, truth.hitId);
  checkWeights(file, truth.weight);
  return truth;
}

/** Submissions: the header must be exactly `hit_id,track_id`; track ids are signed 64-bit integers. */
export function parseSubmission(file: string, bytes: Uint8Array): Submission {
  const c = readColumns(file, bytes, SUBMISSION_COLUMNS, { exactHeader: true });
  const submission: Submission = { hitId: c[0] as Uint32Array, trackId: c[1] as BigInt64Array };
  checkUniqueHitIds(file, submission.hitId);
  return submission;
}

export function parseDetectors(file: string, bytes: Uint8Array): Detectors {
  const c = readColumns(file, bytes, DETECTORS_COLUMNS);
  const n = (c[0] as Uint8Array).length;
  if (n === 0) throw new InputError(file, undefined, 'no modules (the file holds only its header)');
  // Interleave the nine rotation columns row-major per module, as the Detectors contract asks.
  const rot = new Float64Array(9 * n);
  for (let k = 0; k < 9; k++) {
    const col = c[6 + k] as Float64Array;
    for (let i = 0; i < n; i++) rot[9 * i + k] = col[i];
  }
  return {
    volumeId: c[0] as Uint8Array,
    layerId: c[1] as Uint8Array,
    moduleId: c[2] as Uint16Array,
    cx: c[3] as Float64Array,
    cy: c[4] as Float64Array,
    cz: c[5] as Float64Array,
    rot,
    thicknessMm: c[15] as Float64Array,
    minHalfUMm: c[16] as Float64Array,
    maxHalfUMm: c[17] as Float64Array,
    halfVMm: c[18] as Float64Array,
    pitchUMm: c[19] as Float64Array,
    pitchVMm: c[20] as Float64Array,
  };
}
