// Every file name a run directory holds (TrackML event files, submissions, graphs, edge scores, per-event records,
// reports, provenance, checkpoints, the lock) and the edge-score file's bytes, as pure functions: run-files.ts
// re-exports them beside the readers that do I/O; the web page's bundle uses them from here.
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { InputError } from './errors.ts';

export type EventFileKind = 'hits' | 'cells' | 'particles' | 'truth';

/** `eventNNNNNNNNN-<kind>.csv[.gz]`: groups 1 = event id, 2 = kind, 3 = ".gz" or undefined. */
export const EVENT_FILE_RE = /^(event\d{9})-(hits|cells|particles|truth)\.csv(\.gz)?$/;

export function eventFileName(eventId: string, kind: EventFileKind, gzip: boolean): string {
  return `${eventId}-${kind}.csv${gzip ? '.gz' : ''}`;
}

export function submissionFileName(eventId: string): string {
  return `${eventId}-submission.csv`;
}

export function graphFileNames(eventId: string): { nodes: string; edges: string } {
  return { nodes: `${eventId}-nodes.arrow`, edges: `${eventId}-edges.arrow` };
}

/** `<event>-edge-scores.arrow`: one row per graph edge, in graph edge order. */
export function edgeScoresFileName(eventId: string): string {
  return `${eventId}-edge-scores.arrow`;
}

/** Stages that keep one record per event (src/core/cache.ts). */
export type RecordStage = 'pipeline' | 'simulate' | 'graphs' | 'infer' | 'tracks' | 'score';

/** `<event>-record.json` for the pipeline (as before), `<event>-<stage>-record.json` for the stage commands. */
export function recordFileName(eventId: string, stage: RecordStage): string {
  return stage === 'pipeline' ? `${eventId}-record.json` : `${eventId}-${stage}-record.json`;
}

export function provenanceFileName(stage: string): string {
  return `provenance-${stage}.json`;
}

export const REPORT_JSON = 'report.json';
export const REPORT_HTML = 'report.html';
/** stage:score's summary. */
export const SCORE_JSON = 'score.json';
/** Training: per-epoch history beside the checkpoints. */
export const HISTORY_JSON = 'history.json';
/** Named for the project: a user's own `.lock` in an output directory is not mistaken for ours. */
export const LOCK_FILE = '.trackml-gnn.lock';
/** One shard's lock (`--shard I/N`): shards of a run write into one directory at once (src/core/lock.ts). */
export function shardLockFile(shard: { index: number; count: number }): string {
  return `.trackml-gnn.shard-${shard.index}-of-${shard.count}.lock`;
}
export const SHARD_LOCK_RE = /^\.trackml-gnn\.shard-\d+-of-\d+\.lock$/;

/** Training checkpoints: `<outputDir>/last` (resumable) and `<outputDir>/best`, each a directory of these files. */
export const CHECKPOINT = {
  last: 'last',
  best: 'best',
  model: 'model.json',
  weights: 'weights.bin',
  optimizer: 'optimizer.bin',
  state: 'train-state.json',
} as const;

/** Edge scores as Arrow bytes: columns src, dst (node rows), src_hit_id, dst_hit_id, score. */
export function edgeScoresToBytes(c: {
  src: Uint32Array;
  dst: Uint32Array;
  srcHitId: Uint32Array;
  dstHitId: Uint32Array;
  score: Float32Array;
}): Uint8Array {
  return tableToIPC(tableFromArrays({ src: c.src, dst: c.dst, src_hit_id: c.srcHitId, dst_hit_id: c.dstHitId, score: c.score }), 'file');
}

/** Edge-score file bytes (read by the caller: the viewer reads through a checked descriptor) → one score per graph
 * edge. A missing or non-float32 score column, a count other than `edges` (when given), or a score that is not a
 * number in [0, 1] (NaN from a diverged model) is the file's error, naming the first bad edge. */
export function edgeScoresFromBytes(bytes: Uint8Array, file: string, edges?: number): Float32Array {
  let col: unknown;
  try {
    col = tableFromIPC(bytes).getChild('score')?.toArray();
  } catch (err) {
    throw new InputError(file, undefined, `not a readable edge-score file (truncated or corrupt?): ${(err as Error).message}`);
  }
  if (!(col instanceof Float32Array)) throw new InputError(file, undefined, 'not an edge-score file: no float32 column "score"');
  if (edges !== undefined && col.length !== edges)
    throw new InputError(file, undefined, `${col.length} scores for ${edges} graph edges: graph and scores are from different runs`);
  for (let e = 0; e < col.length; e++) {
    if (!(col[e] >= 0 && col[e] <= 1)) throw new InputError(file, undefined, `edge ${e}: score ${col[e]} is not in [0, 1]`);
  }
  return col;
}
