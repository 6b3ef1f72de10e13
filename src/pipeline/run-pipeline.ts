// The whole tracking chain on a directory of events: read → graph → edge scores → tracks → submission, scored
// and measured when truth is present, one record per event (the cache: rerun skips events whose record still
// vouches for them, so a killed run resumes), then report.json and report.html. The output directory is locked for
// the run. Per-event work lives in process-event.ts; the report in report.ts.
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { readRecords } from '../core/cache.ts';
import { checkOutputDir } from '../core/fs.ts';
import { openRunDir } from '../core/lock.ts';
import { Progress } from '../core/progress.ts';
import { writeProvenance } from '../core/provenance.ts';
import { REPORT_HTML, REPORT_JSON } from '../core/run-files.ts';
import { findEvents } from '../trackml/index.ts';
import { addCounts, emptyCounts, trackingRates, type TrackingCounts } from '../tracks/index.ts';
import type { PipelineConfigInput } from './pipeline-config.ts';
import { cachedEvent, commitEvent, eventKey, makePipelineContext, pipelineConfig, prepareEvent, type PipelineContext } from './process-event.ts';
import { writeReport } from './report.ts';
import { THROUGHPUT_ANCHOR, type PipelineSummary } from './summary.ts';
import type { EdgeScorer } from './scorers.ts';
import { finishEvent, SCORE_HIST_BINS, TIMED_STAGES, type EventRecord, type FinishResult, type TimedStage } from './finish-event.ts';
import { TracksWorker } from './tracks-worker.ts';

export { THROUGHPUT_ANCHOR, type PipelineSummary } from './summary.ts';
export { finishEvent, SCORE_HIST_BINS, TIMED_STAGES, type EventRecord, type FinishJob, type TimedStage } from './finish-event.ts';
export { makePipelineContext, makeScorer, pipelineConfig, processEvent, type PipelineContext } from './process-event.ts';
export { submissionFileName } from '../core/run-files.ts';

export interface PipelineOptions {
  inputDir: string;
  outputDir: string;
  /** YAML config file; or `config` as an object; neither = all defaults. */
  configFile?: string;
  config?: PipelineConfigInput;
  /** Overrides the config's scorer (tests, benchmarks, a model held in memory). */
  scorer?: EdgeScorer;
  /** Only the first N events of the directory. */
  limit?: number;
  /** Progress line on stderr (default true). */
  progress?: boolean;
}

/** The graph settings that change what a model sees, where the run's differ from the model's training graphs. */
export function graphMismatch(run: PipelineContext['config']['graph'], trained: unknown): string | undefined {
  if (trained === undefined || trained === null || typeof trained !== 'object') return undefined;
  const t = trained as Record<string, unknown>;
  const keys = run.builder === 'moduleMap' ? (['builder', 'detector'] as const) : (['builder', 'detector', 'preset', 'skipOneLayer'] as const);
  const diffs = keys.filter((k) => t[k] !== undefined && t[k] !== run[k]).map((k) => `${k}: ${String(t[k])} → ${String(run[k])}`);
  return diffs.length ? diffs.join(', ') : undefined;
}

/** runPipeline(options) → summary: every event of `inputDir` tracked into `outputDir`, report written. */
export async function runPipeline(opts: PipelineOptions): Promise<PipelineSummary> {
  checkOutputDir(opts.outputDir);
  const config = pipelineConfig(opts);
  const found = findEvents(opts.inputDir);
  const all = found.filter((e) => e.hits !== undefined);
  const partial = found.filter((e) => e.hits === undefined).map((e) => e.eventId);
  if (partial.length) process.stderr.write(`note: ${partial.join(', ')} in ${opts.inputDir} ha${partial.length > 1 ? 've' : 's'} no hits file (an interrupted write?): skipped\n`);
  if (all.length === 0) throw new InputError(opts.inputDir, undefined, 'no events (eventNNNNNNNNN-hits.csv[.gz]) found');
  const events = opts.limit === undefined ? all : all.slice(0, opts.limit);
  // Model and graph context first: a config error must not leave an empty output directory behind.
  const ctx = await makePipelineContext(opts.outputDir, config, opts.configFile ?? 'pipeline config', opts.scorer);
  const mismatch = graphMismatch(config.graph, ctx.scorer.trainedGraphConfig);
  if (mismatch) process.stderr.write(`note: the model was trained on other graphs than this run builds (${mismatch}); its scores may be off\n`);
  const release = openRunDir(opts.outputDir);
  try {
    const { records, computedWallMs, doneAtMs, overlapped } = await runEvents(ctx, events, opts.progress !== false);
    const summary = summarize(opts, ctx, records, computedWallMs, doneAtMs, overlapped);
    await writeReport(summary);
    writeProvenance(opts.outputDir, {
      stage: 'pipeline',
      config,
      inputs: [opts.inputDir, ...(opts.configFile ? [opts.configFile] : []), ...(config.scorer === 'gnn' && !opts.scorer ? [config.model] : []), ...Object.values(ctx.graphCtx.inputs).map((d) => d.file)],
      timingsMs: Object.fromEntries(records.map((r) => [r.eventId, TIMED_STAGES.reduce((s, k) => s + r.timingsMs[k], 0)])),
      results: { scorer: ctx.scorer.id, codeHash: ctx.run.codeHash, meanScore: summary.meanScore, eventsPerSecond: summary.eventsPerSecond, meanStageMs: summary.meanStageMs },
    });
    return summary;
  } finally {
    release();
  }
}

/** Every event: its trusted record, or computed and committed. With two events or more to compute, an event's
 * tracks run on a worker thread while the next event's graph and GNN run here: the two halves take about the same
 * time, so 2 cores nearly halve the wall time per event. Commits (renames) all happen on this thread, in event
 * order. */
async function runEvents(ctx: PipelineContext, events: ReturnType<typeof findEvents>, showProgress: boolean) {
  const progress = showProgress ? new Progress('pipeline', events.length) : undefined;
  const keys = events.map((files) => eventKey(ctx, files));
  // Each event's trusted record, checked once (undefined = to compute).
  const cachedRecords = events.map((files, i) => cachedEvent(ctx, files.eventId, keys[i].key));
  const toCompute = cachedRecords.filter((r) => !r).length;
  const finisher = ctx.config.overlap && toCompute > 1 ? new TracksWorker() : undefined;
  const records: (EventRecord & { cached: boolean })[] = [];
  let pending: Promise<void> | undefined;
  const doneAtMs: number[] = [];
  const t0 = performance.now();
  try {
    for (const [i, files] of events.entries()) {
      const cached = cachedRecords[i];
      if (cached) {
        records[i] = { ...cached, cached: true };
        progress?.tick(1, `${files.eventId} up to date`);
        continue;
      }
      const job = await prepareEvent(ctx, files);
      await pending; // at most one event finishing at a time
      const done = (fin: FinishResult) => {
        const rec = commitEvent(ctx, files.eventId, keys[i].key, keys[i].inputs, fin);
        records[i] = { ...rec, cached: false };
        doneAtMs.push(performance.now() - t0);
        const ms = TIMED_STAGES.reduce((s, k) => s + rec.timingsMs[k], 0);
        progress?.tick(1, `${files.eventId} ${rec.hits} hits, ${ms.toFixed(0)} ms${rec.truth ? `, score ${rec.truth.score.toFixed(4)}` : ''}`);
      };
      if (finisher) pending = finisher.finish(job).then(done);
      else done(finishEvent(job));
    }
    await pending;
  } catch (e) {
    // An event that fails here must not take the one finishing on the worker with it: its outputs are complete.
    await pending?.catch(() => undefined);
    throw e;
  } finally {
    await finisher?.close();
  }
  return { records, computedWallMs: toCompute > 0 ? performance.now() - t0 : 0, doneAtMs, overlapped: finisher !== undefined };
}

/** Several lines for a terminal: the summary line, per-stage ms/event, pT > 1 GeV metrics, where outputs are. */
export function formatSummary(s: PipelineSummary, cwd = process.cwd()): string {
  const rel = (p: string) => path.relative(cwd, p) || '.';
  const lines = [s.summaryLine, `scorer: ${s.scorer.label}; ${s.computedEvents} events computed, ${s.events.length - s.computedEvents} up to date`];
  lines.push('time per event:');
  for (const k of TIMED_STAGES) lines.push(`  ${k.padEnd(7)} ${s.meanStageMs[k].toFixed(1).padStart(8)} ms`);
  lines.push(`  ${'total'.padEnd(7)} ${s.meanTrackingMs.toFixed(1).padStart(8)} ms (TrackML throughput winner: ${THROUGHPUT_ANCHOR.secondsPerEvent * 1000} ms on ${THROUGHPUT_ANCHOR.cores} cores)`);
  if (s.overlapped && s.wallMsPerEvent !== undefined)
    lines.push(`  ${'wall'.padEnd(7)} ${s.wallMsPerEvent.toFixed(1).padStart(8)} ms (tracks on a second thread, overlapping the next event's GNN${s.steadyWallMsPerEvent !== undefined ? `; ${s.steadyWallMsPerEvent.toFixed(1)} ms after the first event` : ''})`);
  if (s.counts && s.graphCounts) {
    const all = trackingRates(s.counts).find((r) => r.ptBin === '> 1')!;
    const g = trackingRates(s.graphCounts).find((r) => r.ptBin === '> 1')!;
    lines.push(`pT > 1 GeV: efficiency ${all.efficiency.toFixed(4)} (graph hits: ${g.efficiency.toFixed(4)}), fake rate ${all.fakeRate.toFixed(4)}, duplicate rate ${all.duplicateRate.toFixed(4)}`);
  }
  lines.push(`submissions: ${rel(s.outputDir)}/eventNNNNNNNNN-submission.csv`);
  lines.push(`report: ${rel(s.reportHtml)} (data: ${rel(s.reportJson)})`);
  return lines.join('\n');
}

/** The summary of a run from the pipeline records in `outputDir` alone (all counted as cached): what merging the
 * records of shards or queue workers into one report starts from. Records of more than one run (config, scorer,
 * code) are an error. */
export function summarizeRecords(inputDir: string, outputDir: string): PipelineSummary {
  const records = readRecords<EventRecord>(outputDir, 'pipeline');
  if (records.length === 0) throw new InputError(outputDir, undefined, 'no pipeline records (eventNNNNNNNNN-record.json) here');
  const runs = new Set(records.map((r) => JSON.stringify(r.run)));
  if (runs.size > 1) throw new InputError(outputDir, undefined, `records of ${runs.size} different runs (config, scorer or code); keep one run's`);
  const { config, ...run } = records[0].run;
  return summarize({ inputDir, outputDir }, { config, run: { config, ...run } }, records.map((r) => ({ ...r, cached: true })), 0, [], false);
}

/** The run's summary from its event records (cached or not) and the wall times of the computed ones. */
export function summarize(
  opts: Pick<PipelineOptions, 'inputDir' | 'outputDir'>,
  ctx: Pick<PipelineContext, 'config' | 'run'>,
  events: (EventRecord & { cached: boolean })[],
  computedWallMs: number,
  doneAtMs: number[],
  overlapped: boolean,
): PipelineSummary {
  const n = events.length;
  const meanStageMs = Object.fromEntries(TIMED_STAGES.map((k) => [k, events.reduce((s, e) => s + e.timingsMs[k], 0) / n])) as Record<TimedStage, number>;
  const meanTrackingMs = TIMED_STAGES.reduce((s, k) => s + meanStageMs[k], 0);
  const computed = events.filter((e) => !e.cached).length;
  const withTruth = events.filter((e) => e.truth);
  let meanScore: number | undefined;
  let counts: TrackingCounts | undefined;
  let graphCounts: TrackingCounts | undefined;
  let scoreHist: PipelineSummary['scoreHist'];
  if (withTruth.length > 0) {
    meanScore = withTruth.reduce((s, e) => s + e.truth!.score, 0) / withTruth.length;
    counts = withTruth.reduce((c, e) => addCounts(c, e.truth!.counts), emptyCounts());
    graphCounts = withTruth.reduce((c, e) => addCounts(c, e.truth!.graphCounts), emptyCounts());
    const bins = SCORE_HIST_BINS;
    scoreHist = { trueEdges: new Array<number>(bins).fill(0), falseEdges: new Array<number>(bins).fill(0) };
    for (const e of withTruth) {
      e.truth!.scoreHist.trueEdges.forEach((v, i) => (scoreHist!.trueEdges[i] += v));
      e.truth!.scoreHist.falseEdges.forEach((v, i) => (scoreHist!.falseEdges[i] += v));
    }
  }
  // Wall time per computed event; with overlap (tracks on a second thread) it is below the sum of the stages.
  const wallMsPerEvent = computed > 0 ? computedWallMs / computed : undefined;
  // After the first event (which pays the warm-up): time between the completions of the first and the last.
  const steadyWallMsPerEvent = doneAtMs.length > 1 ? (doneAtMs[doneAtMs.length - 1] - doneAtMs[0]) / (doneAtMs.length - 1) : undefined;
  const perEventMs = overlapped && wallMsPerEvent !== undefined ? wallMsPerEvent : meanTrackingMs;
  const eventsPerSecond = 1000 / perEventMs;
  const a = THROUGHPUT_ANCHOR;
  const summaryLine =
    `${n} event${n === 1 ? '' : 's'}` +
    (meanScore !== undefined ? `, TrackML score ${meanScore.toFixed(4)}` : ', no truth (not scored)') +
    `, ${(perEventMs / 1000).toFixed(3)} s/event (${eventsPerSecond.toFixed(2)} events/s; ` +
    TIMED_STAGES.map((k) => `${k} ${meanStageMs[k].toFixed(0)}`).join(', ') +
    ` ms${overlapped ? `, summing to ${(meanTrackingMs / 1000).toFixed(3)} s: tracks overlap the next event's GNN` : ''}) vs TrackML throughput winner ${a.secondsPerEvent} s/event on ${a.cores} cores at score ${a.score}`;
  return {
    inputDir: opts.inputDir,
    outputDir: opts.outputDir,
    config: ctx.config,
    scorer: ctx.run.scorer,
    codeVersion: ctx.run.codeVersion,
    events,
    computedEvents: computed,
    computedWallMs,
    meanStageMs,
    meanTrackingMs,
    wallMsPerEvent,
    steadyWallMsPerEvent,
    overlapped,
    eventsPerSecond,
    meanScore,
    counts,
    graphCounts,
    scoreHist,
    reportJson: path.join(opts.outputDir, REPORT_JSON),
    reportHtml: path.join(opts.outputDir, REPORT_HTML),
    summaryLine,
  };
}
