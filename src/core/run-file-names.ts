// Every file name a run directory holds (TrackML event files, submissions, graphs, edge scores, per-event records,
// reports, provenance, checkpoints, the lock), as pure functions: run-files.ts re-exports them beside the readers
// that do I/O; the web page's bundle uses them from here. No dependency: every command loads it (the edge-score
// file's Arrow bytes are edge-score-file.ts, so that commands without Arrow files never load apache-arrow).

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
