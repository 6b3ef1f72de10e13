// Batch-system mode: `--shard I/N` runs a deterministic 1/N of a directory's events (src/core/shard.ts) into an
// output directory that the other shards write at the same time, each under its own lock; `npm run merge` then
// turns every shard's per-event records into the one report a single process would have written.
import path from 'node:path';
import { readRecords } from '../core/cache.ts';
import { InputError } from '../core/errors.ts';
import { checkOutputDir } from '../core/fs.ts';
import { openRunDir } from '../core/lock.ts';
import { writeProvenance } from '../core/provenance.ts';
import { inShard, shardTag, type Shard } from '../core/shard.ts';
import { findEvents, type EventFiles } from '../trackml/index.ts';
import { TIMED_STAGES, type EventRecord } from './finish-event.ts';
import { makePipelineContext, pipelineConfig } from './process-event.ts';
import { runEvents, summarize, type PipelineOptions } from './run-pipeline.ts';
import { writeReport } from './report.ts';
import type { PipelineSummary } from './summary.ts';

export interface ShardResult {
  shard: Shard;
  /** Events of the whole run (after --limit) and of this shard; computed = not taken from the cache. */
  runEvents: number;
  events: number;
  computed: number;
  meanScore?: number;
}

/** The events a run covers: those of `inputDir` with a hits file, the first `limit` of them, then the shard's. */
export function runEventFiles(
  inputDir: string,
  limit: number | undefined,
  shard: Shard | undefined,
): { all: EventFiles[]; mine: EventFiles[] } {
  const found = findEvents(inputDir).filter((e) => e.hits !== undefined);
  if (found.length === 0) throw new InputError(inputDir, undefined, 'no events (eventNNNNNNNNN-hits.csv[.gz]) found');
  const all = limit === undefined ? found : found.slice(0, limit);
  return { all, mine: inShard(all, shard) };
}

/** One shard of a pipeline run: its events through the pipeline (cached ones skipped), their records and outputs
 * in `outputDir`, a provenance file of its own; no report (`mergeRun` writes it once all shards are done). */
export async function runPipelineShard(opts: PipelineOptions & { shard: Shard }): Promise<ShardResult> {
  checkOutputDir(opts.outputDir);
  const config = pipelineConfig(opts);
  const { all, mine } = runEventFiles(opts.inputDir, opts.limit, opts.shard);
  const result: ShardResult = { shard: opts.shard, runEvents: all.length, events: mine.length, computed: 0 };
  // A shard may hold no event (few events, many shards): nothing to do is a success for a batch array.
  if (mine.length === 0) return result;
  const ctx = await makePipelineContext(opts.outputDir, config, opts.configFile ?? 'pipeline config', opts.scorer);
  const release = openRunDir(opts.outputDir, opts.shard);
  try {
    const { records, computedWallMs } = await runEvents(ctx, mine, opts.progress !== false, opts.configFile, opts.scorer === undefined);
    const scored = records.filter((r) => r.truth);
    result.computed = records.filter((r) => !r.cached).length;
    if (scored.length) result.meanScore = scored.reduce((s, r) => s + r.truth!.score, 0) / scored.length;
    writeProvenance(opts.outputDir, {
      stage: `pipeline-${shardTag(opts.shard)}`,
      config,
      inputs: [opts.inputDir, ...(opts.configFile ? [opts.configFile] : [])],
      timingsMs: {
        total: computedWallMs,
        ...Object.fromEntries(records.map((r) => [r.eventId, TIMED_STAGES.reduce((t, k) => t + r.timingsMs[k], 0)])),
      },
      results: {
        shard: opts.shard,
        runEvents: all.length,
        events: mine.map((e) => e.eventId),
        computed: result.computed,
        scorer: ctx.scorer.id,
        codeHash: ctx.run.codeHash,
      },
    });
    return result;
  } finally {
    release();
  }
}

export interface Failure {
  eventId: string;
  reason: string;
}

/** The summary of `records` (the events of one run, all of one config, scorer and code) as the one-process run
 * would give it; `computed` names those computed by this command (the rest count as up to date). */
export function summarizeEventRecords(
  inputDir: string,
  outputDir: string,
  records: EventRecord[],
  computed: ReadonlySet<string> = new Set(),
  computedWallMs = 0,
): PipelineSummary {
  if (records.length === 0) throw new InputError(outputDir, undefined, 'no pipeline records (eventNNNNNNNNN-record.json) here');
  // One run = one config, scorer (model by content) and code by content, as summarizeRecords has it.
  const runs = new Set(records.map((r) => JSON.stringify([r.run.config, r.run.scorer.id, r.run.codeHash])));
  if (runs.size > 1)
    throw new InputError(outputDir, undefined, `records of ${runs.size} different runs (config, scorer or code) here; merge one run's`);
  const { run } = records[0];
  const sorted = [...records].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  const events = sorted.map((r) => ({ ...r, cached: !computed.has(r.eventId) }));
  return summarize({ inputDir, outputDir }, { config: run.config, run }, events, computedWallMs, undefined, run.config.scorer === 'gnn');
}

export interface MergeOptions {
  outputDir: string;
  /** The run's input folder: every event there (after `limit`) must have a record. Default: the folder the
   * records' hits files were read from. */
  inputDir?: string;
  limit?: number;
  /** Events that failed (a queue run): listed in the report instead of counting as missing. */
  failures?: Failure[];
}

/** Merges the per-event records in `outputDir` (written by shards or queue workers) into report.json and
 * report.html. Every event of the run must have its record; a missing one (a shard failed or still runs) is one
 * line and no report. Takes the directory's lock: refused while any shard still holds its own. */
export async function mergeRun(opts: MergeOptions): Promise<PipelineSummary> {
  const release = openRunDir(opts.outputDir);
  try {
    const records = readRecords<EventRecord>(opts.outputDir, 'pipeline');
    if (records.length === 0)
      throw new InputError(opts.outputDir, undefined, 'no pipeline records (eventNNNNNNNNN-record.json) here to merge');
    const inputDir = opts.inputDir ?? path.dirname(records[0].inputs.hits.file);
    const { all } = runEventFiles(inputDir, opts.limit, undefined);
    const byId = new Map(records.map((r) => [r.eventId, r]));
    const failed = new Set((opts.failures ?? []).map((f) => f.eventId));
    const missing = all.filter((e) => !byId.has(e.eventId) && !failed.has(e.eventId)).map((e) => e.eventId);
    if (missing.length > 0) {
      const list = missing.length > 5 ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more` : missing.join(', ');
      throw new InputError(
        opts.outputDir,
        undefined,
        `${missing.length} of ${all.length} events of ${inputDir} have no record yet (${list}): a shard failed or has not run; rerun it, then merge`,
      );
    }
    const mine = all.filter((e) => byId.has(e.eventId)).map((e) => byId.get(e.eventId)!);
    const summary = summarizeEventRecords(inputDir, opts.outputDir, mine);
    summary.failures = opts.failures;
    await writeReport(summary);
    return summary;
  } finally {
    release();
  }
}
