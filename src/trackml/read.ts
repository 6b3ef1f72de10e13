// Readers for every TrackML file kind from disk: bytes (.csv or .csv.gz, decided by the gzip magic) → columnar
// event model, through the parsers of parse.ts.
import { readInputBytes } from './input-file.ts';
import { parseCells, parseDetectors, parseHits, parseParticles, parseSubmission, parseTruth } from './parse.ts';
import type { Cells, Detectors, Hits, Particles, Submission, Truth } from './types.ts';

export { CELLS_COLUMNS, DETECTORS_COLUMNS, HITS_COLUMNS, PARTICLES_COLUMNS, SUBMISSION_COLUMNS, TRUTH_COLUMNS } from './parse.ts';

export function readHits(file: string): Hits {
  return parseHits(file, readInputBytes(file));
}
/** Cells have several rows per hit, so hit ids repeat here by design. */
export function readCells(file: string): Cells {
  return parseCells(file, readInputBytes(file));
}
export function readParticles(file: string): Particles {
  return parseParticles(file, readInputBytes(file));
}
export function readTruth(file: string): Truth {
  return parseTruth(file, readInputBytes(file));
}
/** Submissions: the header must be exactly `hit_id,track_id`; track ids are signed 64-bit integers. */
export function readSubmission(file: string): Submission {
  return parseSubmission(file, readInputBytes(file));
}
export function readDetectors(file: string): Detectors {
  return parseDetectors(file, readInputBytes(file));
}
