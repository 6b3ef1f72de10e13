// Readers for every TrackML file kind from disk: bytes (.csv or .csv.gz, decided by the gzip magic) → columnar
// event model, through the parsers of parse.ts. `bytes`: the file's content as the caller read it (else read here,
// within the input limits of input-file.ts).
import { decodeInputBytes, readInputBytes } from './input-file.ts';
import {
  parseCells,
  parseDetectors,
  parseHits,
  parseParticles,
  parseSubmission,
  parseTruth,
  parseTruthForScoring,
  type ScoringTruth,
} from './parse.ts';
import type { Cells, Detectors, Hits, Particles, Submission, Truth } from './types.ts';

export { CELLS_COLUMNS, DETECTORS_COLUMNS, HITS_COLUMNS, PARTICLES_COLUMNS, SUBMISSION_COLUMNS, TRUTH_COLUMNS } from './parse.ts';

function content(file: string, bytes: Uint8Array | undefined): Uint8Array {
  return bytes === undefined ? readInputBytes(file) : decodeInputBytes(file, bytes);
}

export function readHits(file: string, bytes?: Uint8Array): Hits {
  return parseHits(file, content(file, bytes));
}
/** Cells have several rows per hit, so hit ids repeat here by design. */
export function readCells(file: string, bytes?: Uint8Array): Cells {
  return parseCells(file, content(file, bytes));
}
export function readParticles(file: string, bytes?: Uint8Array): Particles {
  return parseParticles(file, content(file, bytes));
}
export function readTruth(file: string, bytes?: Uint8Array): Truth {
  return parseTruth(file, content(file, bytes));
}
/** The truth columns the score uses (parse.ts parseTruthForScoring): what the score CLI reads. */
export function readTruthForScoring(file: string, bytes?: Uint8Array): ScoringTruth {
  return parseTruthForScoring(file, content(file, bytes));
}
/** Submissions: the header must be exactly `hit_id,track_id`; track ids are signed 64-bit integers. */
export function readSubmission(file: string, bytes?: Uint8Array): Submission {
  return parseSubmission(file, content(file, bytes));
}
export function readDetectors(file: string, bytes?: Uint8Array): Detectors {
  return parseDetectors(file, content(file, bytes));
}
