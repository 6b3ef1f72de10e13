// Every file name a run directory holds (TrackML event files, submissions, graphs, edge scores, per-event records,
// reports, provenance, checkpoints, the lock) and the readers of the run files no stage owns (provenance). Stages, the viewer and tools name files only through here; the edge-score file's reader is
// edge-score-file.ts (it needs apache-arrow, which most commands never load).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { graphFileNames, provenanceFileName } from './run-file-names.ts';

// The names themselves are pure (run-file-names.ts); every importer keeps naming files through this module.
export {
  EVENT_FILE_RE,
  eventFileName,
  submissionFileName,
  graphFileNames,
  edgeScoresFileName,
  recordFileName,
  provenanceFileName,
  REPORT_JSON,
  REPORT_HTML,
  SCORE_JSON,
  HISTORY_JSON,
  LOCK_FILE,
  shardLockFile,
  SHARD_LOCK_RE,
  CHECKPOINT,
  type EventFileKind,
  type RecordStage,
} from './run-file-names.ts';

/** Event ids of the graphs in `dir` (both `<event>-nodes.arrow` and `<event>-edges.arrow` present), sorted. */
export function graphEventIds(dir: string): string[] {
  const names = new Set(readdirSync(dir));
  const suffix = graphFileNames('').nodes;
  return [...names]
    .filter((f) => f.endsWith(suffix))
    .map((f) => f.slice(0, -suffix.length))
    .filter((id) => names.has(graphFileNames(id).edges))
    .sort();
}

/** The provenance record a stage wrote into `dir`, or undefined when absent or unreadable. */
export function readProvenance(dir: string, stage: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, provenanceFileName(stage)), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The threshold stage:infer worked at (the model's calibrated one), from its provenance beside the scores. */
export function readInferThreshold(scoresDir: string): number | undefined {
  const t = (readProvenance(scoresDir, 'infer')?.config as { threshold?: unknown } | undefined)?.threshold;
  return typeof t === 'number' ? t : undefined;
}
