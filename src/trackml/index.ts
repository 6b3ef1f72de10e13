// Public surface of TrackML I/O: the columnar event model, readers/writers per file kind, event directories,
// particle-id bit fields and the hit id → row lookup.
export type * from './types.ts';
export { allocHits, allocTruth } from './types.ts';
export { readCells, readDetectors, readHits, readParticles, readSubmission, readTruth, readTruthForScoring } from './read.ts';
export type { ScoringTruth } from './parse.ts';
export { encodeSubmission, writeCells, writeDetectors, writeHits, writeParticles, writeSubmission, writeTruth } from './write.ts';
export { EVENT_FILE_KINDS, findEvents, formatEventId, readEvent, writeEvent, type EventFileKind, type EventFiles } from './event-files.ts';
export { decodeParticleId, encodeParticleId, type ParticleIdParts } from './particle-id.ts';
export { checkHitsMatch, hitRowLookup } from './hit-lookup.ts';
export { COMBINED_HEADER, isCombinedSubmission, readCombinedSubmission, writeCombinedSubmission } from './combined-submission.ts';
// Generic pieces for the project's other CSV files (same parser, same number text, same atomic write).
export { parseCsv, type Column, type ColumnKind, type ColumnSpec, type ParsedCsv } from './csv.ts';
export { formatCsv, formatSubmission, type FormatOptions } from './format-csv.ts';
export { formatFloat32, formatFloat64 } from './format-number.ts';
export { decodeInputBytes, DEFAULT_INPUT_LIMITS, INPUT_LIMIT_ENV, inputLimits, readInputBytes, type InputLimits } from './input-file.ts';
export { DETECTOR_MAX_XY_MM, DETECTOR_MAX_Z_MM, insideDetector } from './detector-reach.ts';
