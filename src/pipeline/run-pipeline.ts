// The whole tracking chain on a directory of events: read → graph → edge scores → tracks → submission, scored
// and measured when truth is present, one record per event (the cache: rerun skips up-to-date events, so a
// killed run resumes), then report.json and report.html. All I/O of the pipeline lives here and in report.ts.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { scoreEvent } from '../../scoring/index.ts';
import { InputError } from '../errors.ts';
import { buildGraph, computeNodeTruth, edgeScoresFileName, edgeScoresToArrow, graphFileNames, graphToArrow, labelEdges, makeGraphContext, type Graph } from '../graph/index.ts';
import { findEvents, readEvent, readParticles, readTruth, writeSubmission, type EventFiles, type Submission, type Truth } from '../trackml/index.ts';
import { addCounts, buildEventTracks, countTracking, emptyCounts, trackingRates, type TrackingCounts } from '../tracks/index.ts';
import { cacheKey, fileStamp, removeStaleTemps, upToDate } from './cache.ts';
import { loadConfig, parseConfig } from './config.ts';
import { writeFileAtomic } from './fs.ts';
import { pipelineConfigSchema, type PipelineConfig, type PipelineConfigInput } from './pipeline-config.ts';
import { Progress } from './progress.ts';
import { codeVersion, writeProvenance } from './provenance.ts';
import { writeReport } from './report.ts';
import { gnnScorer, truthScorer, type EdgeScorer } from './scorers.ts';

/** Stages timed per event, in pipeline order ("score" is evaluation, not part of the tracking time). */
export const TIMED_STAGES = ['read', 'graph', 'gnn', 'tracks', 'write'] as const;
export type TimedStage = (typeof TIMED_STAGES)[number];

/** Bins of the stored edge-score histograms: 1000, so the ROC curve and its area hold up where a model puts
 * most edges near 0. */
export const SCORE_HIST_BINS = 1000;

/** TrackML throughput-phase winner: 0.56 s/event on 2 cores at accuracy 0.944 (the anchor the summary cites). */
export const THROUGHPUT_ANCHOR = { secondsPerEvent: 0.56, cores: 2, score: 0.944 } as const;

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

/** Per-event record written as `<eventId>-record.json` beside the submission; `cacheKey` vouches for both. */
export interface EventRecord {
  cacheKey: string;
  eventId: string;
  hits: number;
  graphNodes: number;
  graphEdges: number;
  /** Tracks in the submission (singletons included). */
  tracks: number;
  threshold: number;
  timingsMs: Record<TimedStage, number> & { score?: number };
  truth?: {
    score: number;
    goodTracks: number;
    /** Tracking counts on all hits of the event. */
    counts: TrackingCounts;
    /** The same on the graph's hits only (a pixel-only graph cannot find strip hits). */
    graphCounts: TrackingCounts;
    /** Edge-score histograms over [0, 1] of true and false edges, SCORE_HIST_BINS bins (fine enough for the ROC
     * curve; the report re-bins them for display). */
    scoreHist: { trueEdges: number[]; falseEdges: number[] };
  };
}

export interface PipelineSummary {
  inputDir: string;
  outputDir: string;
  config: PipelineConfig;
  scorer: { id: string; label: string };
  codeVersion: string;
  events: (EventRecord & { cached: boolean })[];
  /** Events computed in this run (not taken from the cache), and their wall time. */
  computedEvents: number;
  computedWallMs: number;
  /** Mean per-event stage times over all events (ms). */
  meanStageMs: Record<TimedStage, number>;
  meanTrackingMs: number;
  eventsPerSecond: number;
  /** Mean TrackML score over events with truth (undefined without truth). */
  meanScore?: number;
  counts?: TrackingCounts;
  graphCounts?: TrackingCounts;
  scoreHist?: { trueEdges: number[]; falseEdges: number[] };
  reportJson: string;
  reportHtml: string;
  summaryLine: string;
}

/** Bumped when EventRecord changes: the code version alone does not see uncommitted edits. */
const RECORD_FORMAT = 2;

export function submissionFileName(eventId: string): string {
  return `${eventId}-submission.csv`;
}

function recordFileName(eventId: string): string {
  return `${eventId}-record.json`;
}

/** Loads the config (file, object or defaults). */
export function pipelineConfig(opts: Pick<PipelineOptions, 'configFile' | 'config'>): PipelineConfig {
  if (opts.configFile !== undefined) return loadConfig(pipelineConfigSchema, opts.configFile);
  return parseConfig(pipelineConfigSchema, opts.config ?? {}, 'pipeline config');
}

/** The scorer the config names (the GNN is loaded once, here). */
export async function makeScorer(config: PipelineConfig): Promise<EdgeScorer> {
  return config.scorer === 'truth' ? truthScorer(config.truthNoise) : gnnScorer(config.model, config.backend);
}

/** The graph settings that change what a model sees, where the run's differ from the model's training graphs. */
export function graphMismatch(run: PipelineConfig['graph'], trained: unknown): string | undefined {
  if (trained === undefined || trained === null || typeof trained !== 'object') return undefined;
  const t = trained as Record<string, unknown>;
  const keys = run.builder === 'moduleMap' ? (['builder', 'detector'] as const) : (['builder', 'detector', 'preset', 'skipOneLayer'] as const);
  const diffs = keys.filter((k) => t[k] !== undefined && t[k] !== run[k]).map((k) => `${k}: ${String(t[k])} → ${String(run[k])}`);
  return diffs.length ? diffs.join(', ') : undefined;
}

/** runPipeline(options) → summary: every event of `inputDir` tracked into `outputDir`, report written. */
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
  mkdirSync(opts.outputDir, { recursive: true });
  removeStaleTemps(opts.outputDir);
  const threshold = config.tracks.threshold ?? scorer.threshold ?? 0.5;
  const tracksCfg = { ...config.tracks, threshold };
  const version = codeVersion();
  const progress = opts.progress === false ? undefined : new Progress('pipeline', events.length);

  const records: (EventRecord & { cached: boolean })[] = [];
  let computedWallMs = 0;
  for (const files of events) {
    const key = cacheKey({ format: RECORD_FORMAT, config, code: version, scorer: scorer.id, inputs: inputStamps(files) });
    const subFile = path.join(opts.outputDir, submissionFileName(files.eventId));
    const recFile = path.join(opts.outputDir, recordFileName(files.eventId));
    const graphFiles = config.saveGraphs ? savedGraphFiles(opts.outputDir, files.eventId) : [];
    const cached = upToDate<EventRecord>(recFile, key, [subFile, ...graphFiles]);
    if (cached) {
      records.push({ ...cached, cached: true });
      progress?.tick(1, `${files.eventId} cached`);
      continue;
    }
    const t0 = performance.now();
    const rec = await processEvent(files, key, config, ctx, scorer, tracksCfg, subFile);
    // Record last: it vouches for the submission, so a kill between the two only redoes this event.
    writeFileAtomic(recFile, JSON.stringify(rec) + '\n');
    computedWallMs += performance.now() - t0;
    records.push({ ...rec, cached: false });
    const ms = TIMED_STAGES.reduce((s, k) => s + rec.timingsMs[k], 0);
    progress?.tick(1, `${files.eventId} ${rec.hits} hits, ${ms.toFixed(0)} ms${rec.truth ? `, score ${rec.truth.score.toFixed(4)}` : ''}`);
  }

  const summary = summarize(opts, config, scorer, version, records, computedWallMs);
  await writeReport(summary);
  writeProvenance(opts.outputDir, {
    stage: 'pipeline',
    config,
    inputs: [opts.inputDir, ...(opts.configFile ? [opts.configFile] : []), ...(config.scorer === 'gnn' && !opts.scorer ? [config.model] : [])],
    timingsMs: Object.fromEntries(records.map((r) => [r.eventId, TIMED_STAGES.reduce((s, k) => s + r.timingsMs[k], 0)])),
    results: { scorer: scorer.id, meanScore: summary.meanScore, eventsPerSecond: summary.eventsPerSecond, meanStageMs: summary.meanStageMs },
  });
  return summary;
}

/** Several lines for a terminal: the summary line, per-stage ms/event, pT > 1 GeV metrics, where outputs are. */
export function formatSummary(s: PipelineSummary, cwd = process.cwd()): string {
  const rel = (p: string) => path.relative(cwd, p) || '.';
  const lines = [s.summaryLine, `scorer: ${s.scorer.label}; ${s.computedEvents} events computed, ${s.events.length - s.computedEvents} up to date`];
  lines.push('time per event:');
  for (const k of TIMED_STAGES) lines.push(`  ${k.padEnd(7)} ${s.meanStageMs[k].toFixed(1).padStart(8)} ms`);
  lines.push(`  ${'total'.padEnd(7)} ${s.meanTrackingMs.toFixed(1).padStart(8)} ms (TrackML throughput winner: ${THROUGHPUT_ANCHOR.secondsPerEvent * 1000} ms on ${THROUGHPUT_ANCHOR.cores} cores)`);
  if (s.counts && s.graphCounts) {
    const all = trackingRates(s.counts).find((r) => r.ptBin === '> 1')!;
    const g = trackingRates(s.graphCounts).find((r) => r.ptBin === '> 1')!;
    lines.push(`pT > 1 GeV: efficiency ${all.efficiency.toFixed(4)} (graph hits: ${g.efficiency.toFixed(4)}), fake rate ${all.fakeRate.toFixed(4)}, duplicate rate ${all.duplicateRate.toFixed(4)}`);
  }
  lines.push(`submissions: ${rel(s.outputDir)}/eventNNNNNNNNN-submission.csv`);
  lines.push(`report: ${rel(s.reportHtml)} (data: ${rel(s.reportJson)})`);
  return lines.join('\n');
}

function inputStamps(files: EventFiles) {
  return (['hits', 'particles', 'truth'] as const).flatMap((k) => (files[k] ? [fileStamp(files[k])] : []));
}

async function processEvent(
  files: EventFiles,
  key: string,
  config: PipelineConfig,
  ctx: ReturnType<typeof makeGraphContext>,
  scorer: EdgeScorer,
  tracksCfg: PipelineConfig['tracks'] & { threshold: number },
  subFile: string,
): Promise<EventRecord> {
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  // Hits only inside the timed tracking chain; truth is evaluation, read and joined under "score".
  const event = readEvent(files, ['hits']);
  const read = lap();
  const graph = buildGraph(event, ctx, config.graph);
  const graphMs = lap();
  let evalMs = 0;
  if (files.truth) {
    event.truth = readTruth(files.truth);
    if (files.particles) event.particles = readParticles(files.particles);
    graph.truth = computeNodeTruth(graph.hitId, graph.layer, event.truth!, event.particles);
    graph.y = labelEdges(graph.src, graph.dst, graph.truth);
    evalMs += lap();
  }
  const scores = await scorer.score(graph);
  if (scores.length !== graph.src.length) throw new Error(`scorer ${scorer.id} returned ${scores.length} scores for ${graph.src.length} edges`);
  const gnn = lap();
  const trackId = buildEventTracks(event.hits, graph, scores, tracksCfg);
  const tracksMs = lap();
  const submission: Submission = { hitId: event.hits.hitId, trackId };
  writeSubmission(subFile, submission);
  if (config.saveGraphs) {
    const [nodesFile, edgesFile, scoresFile] = savedGraphFiles(path.dirname(subFile), files.eventId);
    const bytes = graphToArrow(graph);
    writeFileAtomic(nodesFile, bytes.nodes);
    writeFileAtomic(edgesFile, bytes.edges);
    writeFileAtomic(scoresFile, edgeScoresToArrow(graph, scores));
  }
  const write = lap();
  const rec: EventRecord = {
    cacheKey: key,
    eventId: files.eventId,
    hits: event.hits.hitId.length,
    graphNodes: graph.hitId.length,
    graphEdges: graph.src.length,
    tracks: new Set(trackId).size,
    threshold: tracksCfg.threshold,
    timingsMs: { read, graph: graphMs, gnn, tracks: tracksMs, write },
  };
  if (event.truth) {
    const result = scoreEvent(event.truth, submission, { truthFile: files.truth, submissionFile: subFile });
    const counts = countTracking(event.truth, submission, event.particles, result);
    const sub = restrictToGraph(event.truth, submission, graph);
    const graphCounts = countTracking(sub.truth, sub.submission, event.particles);
    rec.truth = { score: result.score, goodTracks: result.goodTracks, counts, graphCounts, scoreHist: scoreHistogram(graph, scores, SCORE_HIST_BINS) };
    rec.timingsMs.score = evalMs + lap();
  }
  return rec;
}

/** Nodes, edges and edge-scores files of an event's saved graph. */
function savedGraphFiles(dir: string, eventId: string): [string, string, string] {
  const names = graphFileNames(eventId);
  return [path.join(dir, names.nodes), path.join(dir, names.edges), path.join(dir, edgeScoresFileName(eventId))];
}

/** Truth and submission rows of the graph's hits only. */
function restrictToGraph(truth: Truth, submission: Submission, graph: Graph): { truth: Truth; submission: Submission } {
  const inGraph = new Set(graph.hitId);
  const rows: number[] = [];
  for (let r = 0; r < truth.hitId.length; r++) if (inGraph.has(truth.hitId[r])) rows.push(r);
  const pick = <A extends { [i: number]: unknown; length: number }>(a: A): A => {
    const out = new (a.constructor as new (n: number) => A)(rows.length);
    rows.forEach((r, k) => (out[k] = a[r]));
    return out;
  };
  const t: Truth = {
    hitId: pick(truth.hitId), particleId: pick(truth.particleId), tx: pick(truth.tx), ty: pick(truth.ty), tz: pick(truth.tz),
    tpx: pick(truth.tpx), tpy: pick(truth.tpy), tpz: pick(truth.tpz), weight: pick(truth.weight),
  };
  // Submission rows in the same order as truth rows: scoreEvent joins on hit id, so order does not matter.
  const subRow = new Map<number, number>();
  for (let i = 0; i < submission.hitId.length; i++) subRow.set(submission.hitId[i], i);
  const trackId = new BigInt64Array(rows.length);
  for (let k = 0; k < rows.length; k++) trackId[k] = submission.trackId[subRow.get(t.hitId[k])!];
  return { truth: t, submission: { hitId: t.hitId, trackId } };
}

function scoreHistogram(graph: Graph, scores: Float32Array, bins: number): { trueEdges: number[]; falseEdges: number[] } {
  const trueEdges = new Array<number>(bins).fill(0);
  const falseEdges = new Array<number>(bins).fill(0);
  const y = graph.y;
  if (!y) return { trueEdges, falseEdges };
  for (let e = 0; e < scores.length; e++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(scores[e] * bins)));
    if (y[e] === 1) trueEdges[b]++;
    else falseEdges[b]++;
  }
  return { trueEdges, falseEdges };
}

function summarize(
  opts: PipelineOptions,
  config: PipelineConfig,
  scorer: EdgeScorer,
  version: string,
  events: (EventRecord & { cached: boolean })[],
  computedWallMs: number,
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
  const eventsPerSecond = 1000 / meanTrackingMs;
  const a = THROUGHPUT_ANCHOR;
  const summaryLine =
    `${n} event${n === 1 ? '' : 's'}` +
    (meanScore !== undefined ? `, TrackML score ${meanScore.toFixed(4)}` : ', no truth (not scored)') +
    `, ${(meanTrackingMs / 1000).toFixed(3)} s/event (${eventsPerSecond.toFixed(2)} events/s; ` +
    TIMED_STAGES.map((k) => `${k} ${meanStageMs[k].toFixed(0)}`).join(', ') +
    ` ms) vs TrackML throughput winner ${a.secondsPerEvent} s/event on ${a.cores} cores at score ${a.score}`;
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
    eventsPerSecond,
    meanScore,
    counts,
    graphCounts,
    scoreHist,
    reportJson: path.join(opts.outputDir, 'report.json'),
    reportHtml: path.join(opts.outputDir, 'report.html'),
    summaryLine,
  };
}
