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
import { hashJson } from '../core/hash.ts';
import { REPORT_HTML, REPORT_JSON } from '../core/run-files.ts';
import { readTrainingHistory } from '../gnn/history.ts';
import { sumScoreMetrics } from '../gnn/metrics.ts';
import { findEvents } from '../trackml/index.ts';
import { addCounts, emptyCounts, trackingRates, type TrackingCounts } from '../tracks/index.ts';
import type { PipelineConfigInput } from './pipeline-config.ts';
import {
  cachedEvent,
  commitEvent,
  eventKey,
  makePipelineContext,
  pipelineConfig,
  prepareEvent,
  type PipelineContext,
  type RunTiming,
} from './process-event.ts';
import { THROUGHPUT_ANCHOR, type PipelineSummary } from './summary.ts';
import type { EdgeScorer, TrainedFilter } from './scorers.ts';
import { finishEvent, SCORE_HIST_BINS, TIMED_STAGES, type EventRecord, type FinishResult, type TimedStage } from './finish-event.ts';
import { timelineRows, type EventTimeline } from './timeline.ts';
import { TracksWorker, type ReadResult } from './tracks-worker.ts';
import { EventPool, poolSize } from './event-pool.ts';
import { addEvalCounts, emptyEvalCounts } from './evaluate.ts';

export { THROUGHPUT_ANCHOR, type PipelineSummary } from './summary.ts';

/** The report module (vega, vega-lite: ~0.5 s of CPU to load): imported once the main thread has no event left to
 * prepare, so it loads while the last event's tracks run on the worker instead of before the first event. */
let reportModule: Promise<typeof import('./report.ts')> | undefined;
const loadReport = () => (reportModule ??= import('./report.ts'));
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
  /** Overrides the config's saveGraphs (`--save-graphs`): keep graphs and edge scores for the viewer. */
  saveGraphs?: boolean;
}

/** The graph settings that change what a model sees, where the run's differ from the model's training graphs. */
export function graphMismatch(run: PipelineContext['config']['graph'], trained: unknown): string | undefined {
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
    for (const k of ['learnMinPtGeV', 'marginFraction'])
      if (tm[k] !== undefined && tm[k] !== rm[k]) diffs.push(`moduleMap.${k}: ${String(tm[k])} → ${String(rm[k])}`);
  }
  return diffs.length ? diffs.join(', ') : undefined;
}

/** Where the run's edge filter differs from the one the model was trained behind (undefined when they agree):
 * filters are compared by their weights, wherever their directories lie, and by threshold. */
export function filterMismatch(run: EdgeScorer['filter'], trained: TrainedFilter | undefined): string | undefined {
  if (!run && !trained) return undefined;
  if (!run) return `the model was trained behind the edge filter ${trained!.model} ≥ ${trained!.threshold}, this run has none`;
  if (!trained) return `this run filters edges with ${run.model}, the model was trained without a filter`;
  if (trained.weightsHash !== undefined && run.weightsHash !== trained.weightsHash)
    return `the model was trained behind other filter weights (${trained.model}) than this run's ${run.model}`;
  if (run.threshold !== trained.threshold)
    return `the model was trained behind its filter at ${trained.threshold}, this run cuts at ${run.threshold}`;
  return undefined;
}

/** runPipeline(options) → summary: every event of `inputDir` tracked into `outputDir`, report written. */
export async function runPipeline(opts: PipelineOptions): Promise<PipelineSummary> {
  // performance.now() counts from the process's start: the first figure is node, the launcher and module loading.
  const atEntryMs = performance.now();
  checkOutputDir(opts.outputDir);
  const config = pipelineConfig(opts);
  const found = findEvents(opts.inputDir);
  const all = found.filter((e) => e.hits !== undefined);
  const partial = found.filter((e) => e.hits === undefined).map((e) => e.eventId);
  if (partial.length)
    process.stderr.write(
      `note: ${partial.join(', ')} in ${opts.inputDir} ha${partial.length > 1 ? 've' : 's'} no hits file (an interrupted write?): skipped\n`,
    );
  if (all.length === 0) throw new InputError(opts.inputDir, undefined, 'no events (eventNNNNNNNNN-hits.csv[.gz]) found');
  const events = opts.limit === undefined ? all : all.slice(0, opts.limit);
  // The tracks worker, when the run will likely use one, starts now: its thread and modules load on the other core
  // while this one loads the context and prepares the first event (otherwise the first event's tracks wait for it).
  // It reads the first event's hits meanwhile too (used when that event is to be computed).
  const tracksWorker =
    config.overlap && !opts.scorer && events.length > 1 && poolSize(config.workers, events.length) === 1 ? new TracksWorker() : undefined;
  // The warm-up's threshold is a stand-in (the model's is known once it is loaded): it changes what is kept, not which
  // code runs.
  const warmUp = config.warmUp ? { ...config.tracks, threshold: config.tracks.threshold ?? 0.5 } : undefined;
  const early = tracksWorker && {
    worker: tracksWorker,
    firstRead: { eventId: events[0].eventId, result: tracksWorker.read(events[0], warmUp) },
  };
  early?.firstRead.result.catch(() => undefined); // its error, if any, counts where the event is prepared
  // Model and graph context first: a config error must not leave an empty output directory behind.
  let ctx: PipelineContext;
  try {
    ctx = await makePipelineContext(opts.outputDir, config, opts.configFile ?? 'pipeline config', opts.scorer);
  } catch (e) {
    await tracksWorker?.close();
    throw e;
  }
  const mismatch = graphMismatch(config.graph, ctx.scorer.trainedGraphConfig);
  if (mismatch)
    process.stderr.write(`note: the model was trained on other graphs than this run builds (${mismatch}); its scores may be off\n`);
  const filterNote = filterMismatch(ctx.scorer.filter, ctx.scorer.trainedFilter);
  if (config.scorer === 'gnn' && filterNote) process.stderr.write(`note: ${filterNote}; its scores may be off\n`);
  const atContextMs = performance.now();
  let release: (() => void) | undefined;
  try {
    release = openRunDir(opts.outputDir);
    const { records, computedWallMs, parallelEvents, timeline } = await runEvents(
      ctx,
      events,
      opts.progress !== false,
      opts.configFile,
      opts.scorer === undefined,
      () => void loadReport(),
      early,
    );
    const summary = summarize(opts, ctx, records, computedWallMs, parallelEvents, config.scorer === 'gnn' && !opts.scorer);
    const atEventsMs = performance.now();
    await (await loadReport()).writeReport(summary);
    const atReportMs = performance.now();
    writeProvenance(opts.outputDir, {
      stage: 'pipeline',
      config,
      inputs: [
        opts.inputDir,
        ...(opts.configFile ? [opts.configFile] : []),
        ...(config.scorer === 'gnn' && !opts.scorer ? [config.model] : []),
        ...Object.values(ctx.graphCtx.inputs).map((d) => d.file),
      ],
      timingsMs: Object.fromEntries(records.map((r) => [r.eventId, TIMED_STAGES.reduce((s, k) => s + r.timingsMs[k], 0)])),
      // The input folder as an absolute path: `npm run view -- --input <this output>` follows it to the hits.
      results: {
        inputDir: path.resolve(opts.inputDir),
        scorer: ctx.scorer.id,
        codeHash: ctx.run.codeHash,
        meanScore: summary.meanScore,
        eventsPerSecond: summary.eventsPerSecond,
        meanStageMs: summary.meanStageMs,
        // Where the whole process's time went on the main thread: start-up (process start → this run: node, the
        // launcher, modules), context (config, module map, model), events (first read → last commit), report.
        processMs: {
          startup: Math.round(atEntryMs),
          context: Math.round(atContextMs - atEntryMs),
          events: Math.round(atEventsMs - atContextMs),
          report: Math.round(atReportMs - atEventsMs),
        },
        // When each computed event's stages ran, on which thread: ms since the process started.
        timeline: timelineRows(timeline),
      },
    });
    return summary;
  } finally {
    release?.();
    if (!opts.scorer) await ctx.scorer.release?.();
  }
}

/** Every event: its trusted record, or computed and committed. Computing runs one of three ways, with the same
 * outputs: `workers` > 1, whole events in parallel on an EventPool; else, with two events or more to compute, an
 * event's tracks on a worker thread while the next event's graph and GNN run here (the two halves take about the
 * same time, so 2 cores nearly halve the wall time per event), this thread taking an event's tracks itself when the
 * worker has two queued and for the last event (so the run's end keeps both cores busy); else all inline. Whichever thread computes, every
 * commit (rename: outputs, then the record) happens on this thread. `poolAllowed`: the scorer is the config's (a
 * scorer held in memory cannot go to a worker). Over 80 lines on purpose: the loop with its cache, worker overlap
 * and kill-safe commit order reads as one sequence. */
export async function runEvents(
  ctx: PipelineContext,
  events: ReturnType<typeof findEvents>,
  showProgress: boolean,
  configFile: string | undefined,
  poolAllowed: boolean,
  /** Called once every event is handed off (the main thread waits from then on): a moment for idle work. */
  onIdle?: () => void,
  /** A tracks worker started early (its thread and modules load while the context loads here), with the first
   * event's hits it was asked to read: used when the run overlaps tracks on one worker, closed in any case. */
  early?: { worker: TracksWorker; firstRead?: { eventId: string; result: Promise<ReadResult> } },
) {
  const tracksWorker = early?.worker;
  const progress = showProgress ? new Progress('pipeline', events.length) : undefined;
  const keys = events.map((files) => eventKey(ctx, files));
  // Each event's trusted record, checked once (undefined = to compute).
  const cachedRecords = events.map((files, i) => cachedEvent(ctx, files.eventId, keys[i].key));
  const toCompute = cachedRecords.filter((r) => !r).length;
  const workers = poolAllowed && ctx.config.overlap ? poolSize(ctx.config.workers, toCompute) : 1;
  const pool =
    workers > 1
      ? new EventPool(workers, { outputDir: ctx.outputDir, config: ctx.config, configFile, keyBaseHash: hashJson(ctx.keyBase), workers })
      : undefined;
  const finisher = !pool && ctx.config.overlap && toCompute > 1 ? (tracksWorker ?? new TracksWorker()) : undefined;
  const overlapped = pool !== undefined || finisher !== undefined;
  const records: (EventRecord & { cached: boolean })[] = [];
  let lastToCompute = -1;
  cachedRecords.forEach((r, i) => void (r ? undefined : (lastToCompute = i)));
  const inPool: Promise<void>[] = [];
  const doneAtMs: number[] = [];
  const timeline: EventTimeline[] = [];
  const t0 = performance.now();
  try {
    for (const [i, files] of events.entries()) {
      const cached = cachedRecords[i];
      if (cached) {
        records[i] = { ...cached, cached: true };
        progress?.tick(1, `${files.eventId} up to date`);
        continue;
      }
      const done = (fin: FinishResult) => {
        const now = performance.now() - t0;
        // Wall time since the previous completion; each worker's first event pays its warm-up.
        const timing: RunTiming = {
          wallMs: now - (doneAtMs.length ? doneAtMs[doneAtMs.length - 1] : 0),
          firstOfRun: doneAtMs.length < workers,
          overlapped,
        };
        const commitAt = performance.now();
        const rec = commitEvent(ctx, files.eventId, keys[i].key, keys[i].inputs, fin, timing);
        const o = performance.timeOrigin;
        timeline.push({
          eventId: files.eventId,
          spans: [...fin.spans, { stage: 'commit', thread: 0, startMs: o + commitAt, endMs: o + performance.now() }],
        });
        records[i] = { ...rec, cached: false };
        doneAtMs.push(now);
        const ms = TIMED_STAGES.reduce((s, k) => s + rec.timingsMs[k], 0);
        progress?.tick(
          1,
          `${files.eventId} ${rec.hits} hits, ${ms.toFixed(0)} ms${rec.truth ? `, score ${rec.truth.score.toFixed(4)}` : ''}`,
        );
      };
      if (pool) {
        inPool.push(pool.process({ files }).then(done));
        continue;
      }
      const preRead = finisher && early?.firstRead?.eventId === files.eventId ? early.firstRead.result : undefined;
      const job = await prepareEvent(ctx, files, preRead);
      // Tracks to the worker while it has under two events (one running, one queued in its port, so it never waits
      // for this thread); else, and for the last event (nothing left to prepare here), on this thread: at the end of
      // the run both cores finish tracks instead of one draining alone.
      if (finisher && i !== lastToCompute && finisher.outstanding < 2) inPool.push(finisher.finish(job).then(done));
      else done(finishEvent(job));
    }
    onIdle?.();
    await Promise.all(inPool);
  } catch (e) {
    // An event that fails must not take the ones finishing on workers with it: their outputs are complete.
    await Promise.allSettled(inPool);
    throw e;
  } finally {
    await (finisher ?? tracksWorker)?.close();
    await pool?.close();
  }
  return { records, computedWallMs: toCompute > 0 ? performance.now() - t0 : 0, parallelEvents: pool ? workers : undefined, timeline };
}

/** Several lines for a terminal: the summary line, per-stage ms/event, pT > 1 GeV metrics, where outputs are. */
export function formatSummary(s: PipelineSummary, cwd = process.cwd()): string {
  const rel = (p: string) => path.relative(cwd, p) || '.';
  const lines = [
    s.summaryLine,
    `scorer: ${s.scorer.label}; ${s.computedEvents} events computed, ${s.events.length - s.computedEvents} up to date`,
  ];
  lines.push('time per event:');
  for (const k of TIMED_STAGES) lines.push(`  ${k.padEnd(7)} ${s.meanStageMs[k].toFixed(1).padStart(8)} ms`);
  lines.push(
    `  ${'total'.padEnd(7)} ${s.meanTrackingMs.toFixed(1).padStart(8)} ms (TrackML throughput winner: ${THROUGHPUT_ANCHOR.secondsPerEvent * 1000} ms per real full event on ${THROUGHPUT_ANCHOR.cores} threads)`,
  );
  if (s.overlapped && s.wallMsPerEvent !== undefined)
    lines.push(
      `  ${'wall'.padEnd(7)} ${s.wallMsPerEvent.toFixed(1).padStart(8)} ms (${overlapText(s.parallelEvents)}${s.steadyWallMsPerEvent !== undefined ? `; ${s.steadyWallMsPerEvent.toFixed(1)} ms after the first event` : ''})`,
    );
  if (s.counts && s.graphCounts) {
    const all = trackingRates(s.counts).find((r) => r.ptBin === '> 1')!;
    const g = trackingRates(s.graphCounts).find((r) => r.ptBin === '> 1')!;
    lines.push(
      `pT > 1 GeV: efficiency ${all.efficiency.toFixed(4)} (graph hits: ${g.efficiency.toFixed(4)}), fake rate ${all.fakeRate.toFixed(4)}, duplicate rate ${all.duplicateRate.toFixed(4)}`,
    );
  }
  lines.push(`submissions: ${rel(s.outputDir)}/eventNNNNNNNNN-submission.csv`);
  lines.push(`report: ${rel(s.reportHtml)} (data: ${rel(s.reportJson)})`);
  return lines.join('\n');
}

/** How events overlapped, for the summary lines. */
function overlapText(parallelEvents: number | undefined): string {
  return parallelEvents ? `${parallelEvents} events at a time on worker threads` : "tracks overlap the next event's GNN";
}

/** The summary of a run from the pipeline records in `outputDir` alone (all counted as cached): what merging the
 * records of shards or queue workers into one report starts from. Records of more than one run (config, scorer,
 * code) are an error. */
export function summarizeRecords(inputDir: string, outputDir: string): PipelineSummary {
  const records = readRecords<EventRecord>(outputDir, 'pipeline');
  if (records.length === 0) throw new InputError(outputDir, undefined, 'no pipeline records (eventNNNNNNNNN-record.json) here');
  // One run = one config, scorer (model by content) and code by content; the git label may differ (a commit
  // between two runs that changed no code keeps the records valid).
  const runs = new Set(records.map((r) => JSON.stringify([r.run.config, r.run.scorer.id, r.run.codeHash])));
  if (runs.size > 1)
    throw new InputError(outputDir, undefined, `records of ${runs.size} different runs (config, scorer or code); keep one run's`);
  const { config, ...run } = records[0].run;
  return summarize(
    { inputDir, outputDir },
    { config, run: { config, ...run } },
    records.map((r) => ({ ...r, cached: true })),
    0,
    undefined,
    config.scorer === 'gnn',
  );
}

/** The run's summary from its event records (cached or not): per-event wall times are the ones each record kept
 * from the run that computed it, so a cached re-run reports the original figures. */
export function summarize(
  opts: Pick<PipelineOptions, 'inputDir' | 'outputDir'>,
  ctx: Pick<PipelineContext, 'config' | 'run'>,
  events: (EventRecord & { cached: boolean })[],
  computedWallMs: number,
  parallelEvents: number | undefined,
  withTraining: boolean,
): PipelineSummary {
  const config = ctx.config;
  const n = events.length;
  const meanStageMs = Object.fromEntries(TIMED_STAGES.map((k) => [k, events.reduce((s, e) => s + e.timingsMs[k], 0) / n])) as Record<
    TimedStage,
    number
  >;
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
    parallelEvents,
    eventsPerSecond,
    meanScore,
    counts,
    graphCounts,
    scoreHist,
    evaluation,
    training: withTraining ? readTrainingHistory(config.model) : undefined,
    reportJson: path.join(opts.outputDir, REPORT_JSON),
    reportHtml: path.join(opts.outputDir, REPORT_HTML),
    summaryLine,
  };
}
