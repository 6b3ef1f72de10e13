// The whole tracking chain on a directory of events: read → graph → edge scores → tracks → submission, scored
// and measured when truth is present, one record per event (the cache: rerun skips up-to-date events, so a
// killed run resumes), then report.json and report.html. All I/O of the pipeline lives here and in report.ts.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { makeGraphContext } from '../graph/index.ts';
import { findEvents, type EventFiles } from '../trackml/index.ts';
import { addCounts, emptyCounts, trackingRates, type TrackingCounts } from '../tracks/index.ts';
import { cacheKey, fileStamp, removeStaleTemps, upToDate } from '../core/cache.ts';
import { loadConfig, parseConfig } from '../core/config.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { pipelineConfigSchema, type PipelineConfig, type PipelineConfigInput } from './pipeline-config.ts';
import { Progress } from '../core/progress.ts';
import { codeVersion, writeProvenance } from '../core/provenance.ts';
import { writeReport } from './report.ts';
import { THROUGHPUT_ANCHOR, type PipelineSummary } from './summary.ts';
import { gnnScorer, truthScorer, type EdgeScorer, type TrainedFilter } from './scorers.ts';
import { finishEvent, savedGraphFiles, SCORE_HIST_BINS, TIMED_STAGES, type EventRecord, type TimedStage } from './finish-event.ts';
import { TracksWorker } from './tracks-worker.ts';
import { prepareEvent } from './prepare-event.ts';
import { EventPool, poolSize } from './event-pool.ts';
import { readTrainingHistory } from '../gnn/checkpoint.ts';
import { sumScoreMetrics } from '../gnn/metrics.ts';
import { addEvalCounts, emptyEvalCounts } from './evaluate.ts';

export { THROUGHPUT_ANCHOR, type PipelineSummary } from './summary.ts';
export { finishEvent, SCORE_HIST_BINS, TIMED_STAGES, type EventRecord, type FinishJob, type TimedStage } from './finish-event.ts';

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
  /** Overrides the config's saveGraphs (`--save-graphs`): keep graphs and edge scores for the viewer. */
  saveGraphs?: boolean;
}

/** Bumped when EventRecord changes: the code version alone does not see uncommitted edits. */
const RECORD_FORMAT = 3;

export function submissionFileName(eventId: string): string {
  return `${eventId}-submission.csv`;
}

function recordFileName(eventId: string): string {
  return `${eventId}-record.json`;
}

/** Loads the config (file, object or defaults). */
export function pipelineConfig(opts: Pick<PipelineOptions, 'configFile' | 'config' | 'saveGraphs'>): PipelineConfig {
  const config = opts.configFile !== undefined ? loadConfig(pipelineConfigSchema, opts.configFile) : parseConfig(pipelineConfigSchema, opts.config ?? {}, 'pipeline config');
  return opts.saveGraphs ? { ...config, saveGraphs: true } : config;
}

/** The scorer the config names (the GNN is loaded once, here). */
export async function makeScorer(config: PipelineConfig): Promise<EdgeScorer> {
  return config.scorer === 'truth' ? truthScorer(config.truthNoise) : gnnScorer(config.model, config.backend, undefined, config.filter);
}

/** The graph settings that change what a model sees, where the run's differ from the model's training graphs. */
export function graphMismatch(run: PipelineConfig['graph'], trained: unknown): string | undefined {
  if (trained === undefined || trained === null || typeof trained !== 'object') return undefined;
  const t = trained as Record<string, unknown>;
  const learned = run.builder === 'moduleMap' || run.builder === 'ringMap';
  const keys = learned ? (['builder', 'detector'] as const) : (['builder', 'detector', 'preset', 'skipOneLayer'] as const);
  const diffs = keys.filter((k) => t[k] !== undefined && t[k] !== run[k]).map((k) => `${k}: ${String(t[k])} → ${String(run[k])}`);
  // A learned map: the same map file (by name, wherever it lies), pT and margin.
  const tm = t.moduleMap as Record<string, unknown> | undefined;
  if (learned && tm && t.builder === run.builder) {
    const rm = run.moduleMap as unknown as Record<string, unknown>;
    const name = (f: unknown) => (typeof f === 'string' ? path.basename(f) : f);
    if (name(tm.file) !== name(rm.file)) diffs.push(`moduleMap.file: ${String(name(tm.file))} → ${String(name(rm.file))}`);
    for (const k of ['learnMinPtGeV', 'marginFraction']) if (tm[k] !== undefined && tm[k] !== rm[k]) diffs.push(`moduleMap.${k}: ${String(tm[k])} → ${String(rm[k])}`);
  }
  return diffs.length ? diffs.join(', ') : undefined;
}

/** Where the run's edge filter differs from the one the model was trained behind (undefined when they agree):
 * filters are compared by their weights, wherever their directories lie, and by threshold. */
export function filterMismatch(run: EdgeScorer['filter'], trained: TrainedFilter | undefined): string | undefined {
  if (!run && !trained) return undefined;
  if (!run) return `the model was trained behind the edge filter ${trained!.model} ≥ ${trained!.threshold}, this run has none`;
  if (!trained) return `this run filters edges with ${run.model}, the model was trained without a filter`;
  if (trained.weightsHash !== undefined && run.weightsHash !== trained.weightsHash) return `the model was trained behind other filter weights (${trained.model}) than this run's ${run.model}`;
  if (run.threshold !== trained.threshold) return `the model was trained behind its filter at ${trained.threshold}, this run cuts at ${run.threshold}`;
  return undefined;
}

/** runPipeline(options) → summary: every event of `inputDir` tracked into `outputDir`, report written. Over 80
 * lines on purpose: the event loop with its cache, worker overlap and kill-safe record order reads as one sequence. */
export async function runPipeline(opts: PipelineOptions): Promise<PipelineSummary> {
  const config = pipelineConfig(opts);
  const all = findEvents(opts.inputDir).filter((e) => e.hits !== undefined);
  if (all.length === 0) throw new InputError(opts.inputDir, undefined, 'no events (eventNNNNNNNNN-hits.csv[.gz]) found');
  const events = opts.limit === undefined ? all : all.slice(0, opts.limit);
  // Model and graph context first: a config error must not leave an empty output directory behind.
  const ctx = makeGraphContext(config.graph, opts.configFile ?? 'pipeline config');
  const scorer = opts.scorer ?? (await makeScorer(config));
  const mismatch = graphMismatch(config.graph, scorer.trainedGraphConfig);
  if (mismatch) process.stderr.write(`note: the model was trained on other graphs than this run builds (${mismatch}); its scores may be off\n`);
  const filterNote = filterMismatch(scorer.filter, scorer.trainedFilter);
  if (config.scorer === 'gnn' && filterNote) process.stderr.write(`note: ${filterNote}; its scores may be off\n`);
  mkdirSync(opts.outputDir, { recursive: true });
  removeStaleTemps(opts.outputDir);
  const threshold = config.tracks.threshold ?? scorer.threshold ?? 0.5;
  const tracksCfg = { ...config.tracks, threshold };
  const version = codeVersion();
  const progress = opts.progress === false ? undefined : new Progress('pipeline', events.length);
  const keyOf = (files: EventFiles) => cacheKey({ format: RECORD_FORMAT, config, code: version, scorer: scorer.id, inputs: inputStamps(files) });
  const cachedRecord = (files: EventFiles) => {
    const subFile = path.join(opts.outputDir, submissionFileName(files.eventId));
    const graphFiles = config.saveGraphs ? savedGraphFiles(opts.outputDir, files.eventId) : [];
    return upToDate<EventRecord>(path.join(opts.outputDir, recordFileName(files.eventId)), keyOf(files), [subFile, ...graphFiles]);
  };

  const records: (EventRecord & { cached: boolean })[] = [];
  // Each event's cached record, read once (undefined = to compute).
  const cachedRecords = events.map(cachedRecord);
  const toCompute = cachedRecords.filter((r) => !r).length;
  // With two events or more to compute, an event's tracks run on a worker thread while the next event's graph and
  // GNN run here: the two halves take about the same time, so 2 cores nearly halve the wall time per event.
  // `workers` > 1: whole events in parallel on worker threads instead (needs the GNN from the config, not a scorer
  // held in memory).
  const workers = opts.scorer || !config.overlap ? 1 : poolSize(config.workers, toCompute);
  const pool = workers > 1 ? new EventPool(workers, { config, configFile: opts.configFile }) : undefined;
  const finisher = !pool && config.overlap && toCompute > 1 ? new TracksWorker() : undefined;
  let pending: Promise<void> | undefined;
  const inPool: Promise<void>[] = [];
  let computedWallMs = 0;
  const doneAtMs: number[] = [];
  const t0 = performance.now();
  try {
    for (const [i, files] of events.entries()) {
      const cached = cachedRecords[i];
      if (cached) {
        records[i] = { ...cached, cached: true };
        progress?.tick(1, `${files.eventId} cached`);
        continue;
      }
      const subFile = path.join(opts.outputDir, submissionFileName(files.eventId));
      const recFile = path.join(opts.outputDir, recordFileName(files.eventId));
      const done = (rec: EventRecord) => {
        const now = performance.now() - t0;
        rec.wallMs = now - (doneAtMs.length ? doneAtMs[doneAtMs.length - 1] : 0);
        // Each worker's first event pays its warm-up.
        rec.firstOfRun = doneAtMs.length < workers;
        rec.overlapped = finisher !== undefined || pool !== undefined;
        // Record last: it vouches for the submission, so a kill between the two only redoes this event.
        writeFileAtomic(recFile, JSON.stringify(rec) + '\n');
        records[i] = { ...rec, cached: false };
        doneAtMs.push(now);
        const ms = TIMED_STAGES.reduce((s, k) => s + rec.timingsMs[k], 0);
        progress?.tick(1, `${files.eventId} ${rec.hits} hits, ${ms.toFixed(0)} ms${rec.truth ? `, score ${rec.truth.score.toFixed(4)}` : ''}`);
      };
      if (pool) {
        inPool.push(pool.process({ files, key: keyOf(files), subFile, tracksCfg }).then(done));
        continue;
      }
      const job = await prepareEvent(files, keyOf(files), config, ctx, scorer, tracksCfg, subFile);
      await pending; // at most one event finishing at a time
      if (finisher) pending = finisher.finish(job).then(done);
      else done(finishEvent(job));
    }
    await pending;
    await Promise.all(inPool);
  } catch (e) {
    // An event that fails must not take the ones finishing on workers with it: their outputs are complete.
    await pending?.catch(() => undefined);
    await Promise.allSettled(inPool);
    throw e;
  } finally {
    await finisher?.close();
    await pool?.close();
    if (!opts.scorer) await scorer.release?.();
  }
  if (toCompute > 0) computedWallMs = performance.now() - t0;
  const summary = summarize(opts, config, scorer, version, records, computedWallMs, pool ? workers : undefined);
  await writeReport(summary);
  writeProvenance(opts.outputDir, {
    stage: 'pipeline',
    config,
    inputs: [opts.inputDir, ...(opts.configFile ? [opts.configFile] : []), ...(config.scorer === 'gnn' && !opts.scorer ? [config.model] : [])],
    timingsMs: Object.fromEntries(records.map((r) => [r.eventId, TIMED_STAGES.reduce((s, k) => s + r.timingsMs[k], 0)])),
    // The input folder as an absolute path: `npm run view -- --input <this output>` follows it to the hits.
    results: { inputDir: path.resolve(opts.inputDir), scorer: scorer.id, meanScore: summary.meanScore, eventsPerSecond: summary.eventsPerSecond, meanStageMs: summary.meanStageMs },
  });
  return summary;
}

/** Several lines for a terminal: the summary line, per-stage ms/event, pT > 1 GeV metrics, where outputs are. */
export function formatSummary(s: PipelineSummary, cwd = process.cwd()): string {
  const rel = (p: string) => path.relative(cwd, p) || '.';
  const lines = [s.summaryLine, `scorer: ${s.scorer.label}; ${s.computedEvents} events computed, ${s.events.length - s.computedEvents} up to date`];
  lines.push('time per event:');
  for (const k of TIMED_STAGES) lines.push(`  ${k.padEnd(7)} ${s.meanStageMs[k].toFixed(1).padStart(8)} ms`);
  lines.push(`  ${'total'.padEnd(7)} ${s.meanTrackingMs.toFixed(1).padStart(8)} ms (TrackML throughput winner: ${THROUGHPUT_ANCHOR.secondsPerEvent * 1000} ms per real full event on ${THROUGHPUT_ANCHOR.cores} threads)`);
  if (s.overlapped && s.wallMsPerEvent !== undefined)
    lines.push(`  ${'wall'.padEnd(7)} ${s.wallMsPerEvent.toFixed(1).padStart(8)} ms (${overlapText(s.parallelEvents)}${s.steadyWallMsPerEvent !== undefined ? `; ${s.steadyWallMsPerEvent.toFixed(1)} ms after the first event` : ''})`);
  if (s.counts && s.graphCounts) {
    const all = trackingRates(s.counts).find((r) => r.ptBin === '> 1')!;
    const g = trackingRates(s.graphCounts).find((r) => r.ptBin === '> 1')!;
    lines.push(`pT > 1 GeV: efficiency ${all.efficiency.toFixed(4)} (graph hits: ${g.efficiency.toFixed(4)}), fake rate ${all.fakeRate.toFixed(4)}, duplicate rate ${all.duplicateRate.toFixed(4)}`);
  }
  lines.push(`submissions: ${rel(s.outputDir)}/eventNNNNNNNNN-submission.csv`);
  lines.push(`report: ${rel(s.reportHtml)} (data: ${rel(s.reportJson)})`);
  return lines.join('\n');
}

/** How events overlapped, for the summary lines. */
function overlapText(parallelEvents: number | undefined): string {
  return parallelEvents ? `${parallelEvents} events at a time on worker threads` : "tracks overlap the next event's GNN";
}

function inputStamps(files: EventFiles) {
  return (['hits', 'particles', 'truth'] as const).flatMap((k) => (files[k] ? [fileStamp(files[k])] : []));
}

function summarize(
  opts: PipelineOptions,
  config: PipelineConfig,
  scorer: EdgeScorer,
  version: string,
  events: (EventRecord & { cached: boolean })[],
  computedWallMs: number,
  parallelEvents?: number,
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
  let evaluation: PipelineSummary['evaluation'];
  if (withTruth.length > 0) {
    const evals = withTruth.map((e) => e.truth!.eval);
    const sum = evals.reduce((c, e) => addEvalCounts(c, e), emptyEvalCounts(config.evaluation, evals[0].workingPoint));
    evaluation = { ...sum, gnn: sumScoreMetrics(evals.map((e) => e.gnn)), events: evals.length };
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
  // One time per event throughout: the wall time each record kept from the run that computed it (with overlap,
  // tracks on a second thread, below the sum of the stages), so a cached re-run reports the original figures.
  const wallOf = (e: EventRecord) => e.wallMs ?? TIMED_STAGES.reduce((s, k) => s + e.timingsMs[k], 0);
  const wallMsPerEvent = events.reduce((s, e) => s + wallOf(e), 0) / n;
  // After the first event of a run (which pays the warm-up).
  const steady = events.filter((e) => e.firstOfRun === false);
  const steadyWallMsPerEvent = steady.length > 0 ? steady.reduce((s, e) => s + wallOf(e), 0) / steady.length : undefined;
  const overlapped = events.some((e) => e.overlapped);
  const perEventMs = wallMsPerEvent;
  const eventsPerSecond = 1000 / perEventMs;
  const a = THROUGHPUT_ANCHOR;
  const summaryLine =
    `${n} event${n === 1 ? '' : 's'}` +
    (meanScore !== undefined ? `, TrackML score ${meanScore.toFixed(4)}` : ', no truth (not scored)') +
    `, ${(perEventMs / 1000).toFixed(3)} s/event (${eventsPerSecond.toFixed(2)} events/s; ` +
    TIMED_STAGES.map((k) => `${k} ${meanStageMs[k].toFixed(0)}`).join(', ') +
    ` ms, summing to ${(meanTrackingMs / 1000).toFixed(3)} s${overlapped ? `: ${overlapText(parallelEvents)}` : ''}) vs TrackML throughput winner ${a.secondsPerEvent} s/event on ${a.cores} threads at score ${a.score}`;
  return {
    inputDir: opts.inputDir,
    outputDir: opts.outputDir,
    config,
    scorer: { id: scorer.id, label: scorer.label },
    codeVersion: version,
    events,
    computedEvents: computed,
    computedWallMs,
    meanStageMs,
    meanTrackingMs,
    wallMsPerEvent,
    steadyWallMsPerEvent,
    overlapped,
    parallelEvents,
    eventsPerSecond,
    meanScore,
    counts,
    graphCounts,
    scoreHist,
    evaluation,
    training: config.scorer === 'gnn' && !opts.scorer ? readTrainingHistory(config.model) : undefined,
    reportJson: path.join(opts.outputDir, 'report.json'),
    reportHtml: path.join(opts.outputDir, 'report.html'),
    summaryLine,
  };
}
