// Second half of an event's processing (tracks, submission bytes, saved graph bytes, score and metrics), kept apart
// from the GNN so that the tracks worker (src/pipeline/finish-worker.ts) loads only what it needs. No I/O: the
// outputs come back as bytes and the main thread commits them (src/pipeline/process-event.ts), so every rename —
// and the fault-injection hook that counts them — stays on one thread.
import { threadId } from 'node:worker_threads';
import { scoreEvent } from '../../scoring/index.ts';
import type { RecordBase } from '../core/cache.ts';
import { edgeScoresFileName, graphFileNames, submissionFileName } from '../core/run-files.ts';
import { edgeScoresToArrow, graphToArrow, type Graph } from '../graph/index.ts';
import { encodeSubmission, type Submission, type TrackmlEvent, type Truth } from '../trackml/index.ts';
import { buildEventTracks, countTracking, type TrackingCounts } from '../tracks/index.ts';
import { evaluateEvent, type EvalCounts } from './evaluate.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/** Stages timed per event, in pipeline order ("score" is evaluation, not part of the tracking time). */
export const TIMED_STAGES = ['read', 'graph', 'gnn', 'tracks', 'write'] as const;
export type TimedStage = (typeof TIMED_STAGES)[number];

/** Bins of the stored edge-score histograms: 1000, so the ROC curve and its area hold up where a model puts
 * most edges near 0. */
export const SCORE_HIST_BINS = 1000;

/** What an event's processing found: everything report.json needs of it. */
export interface EventResult {
  hits: number;
  graphNodes: number;
  graphEdges: number;
  /** Tracks in the submission (singletons included). */
  tracks: number;
  threshold: number;
  timingsMs: Record<TimedStage, number> & { score?: number };
  /** Wall time this event took in the run that computed it (from the previous event's completion, or the run's
   * start), and whether it was that run's first (which pays the warm-up). Kept when the record is reused, so a
   * cached re-run reports the original timing. */
  wallMs?: number;
  firstOfRun?: boolean;
  /** Its tracks ran on the worker thread, overlapping the next event's graph and GNN. */
  overlapped?: boolean;
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
    /** The evaluation's counts (src/pipeline/evaluate.ts). */
    eval: EvalCounts;
  };
}

/** Per-event record `<eventId>-record.json` beside the submission, written after the outputs it vouches for
 * (src/core/cache.ts). Self-describing: the run settings that made it ride along, so a report (or a merge of
 * shards) can be rebuilt from records alone. */
export interface EventRecord extends RecordBase, EventResult {
  run: { config: PipelineConfig; scorer: { id: string; label: string }; codeVersion: string; codeHash: string };
}

/** What the second half of an event's processing needs (plain data: it may cross to the tracks worker). */
export interface FinishJob {
  eventId: string;
  truthFile?: string;
  saveGraphs: boolean;
  evaluation: PipelineConfig['evaluation'];
  tracksCfg: PipelineConfig['tracks'] & { threshold: number };
  event: TrackmlEvent;
  graph: Graph;
  scores: Float32Array;
  timingsMs: { read: number; graph: number; gnn: number };
  evalMs: number;
  /** When each stage of the first half ran (the run's timeline). */
  spans: StageSpan[];
}

/** One stage of one event on one thread, for the run's timeline (provenance `results.timeline`): start and end as
 * epoch milliseconds (performance.timeOrigin + now), which worker threads share with the main thread. */
export interface StageSpan {
  stage: string;
  /** worker_threads threadId: 0 = the main thread. */
  thread: number;
  startMs: number;
  endMs: number;
}

/** finishEvent's answer: the result and the output files' bytes by name, in the order they are committed. */
export interface FinishResult {
  result: EventResult;
  outputs: Record<string, Uint8Array>;
  /** The job's spans and this half's (tracks, write, score). */
  spans: StageSpan[];
}

/** Second half of an event: tracks, submission (and saved graph) bytes, score and metrics with truth. Runs on the
 * tracks worker (src/pipeline/finish-worker.ts) while the next event's GNN runs here, or inline. */
export function finishEvent(job: FinishJob): FinishResult {
  const { event, graph, scores, tracksCfg } = job;
  const spans = [...job.spans];
  const lap = lapTimer(spans);
  const trackId = buildEventTracks(event.hits, graph, scores, tracksCfg);
  const tracksMs = lap('tracks');
  const submission: Submission = { hitId: event.hits.hitId, trackId };
  const subName = submissionFileName(job.eventId);
  const outputs: Record<string, Uint8Array> = { [subName]: encodeSubmission(submission) };
  if (job.saveGraphs) {
    const names = graphFileNames(job.eventId);
    const bytes = graphToArrow(graph);
    outputs[names.nodes] = bytes.nodes;
    outputs[names.edges] = bytes.edges;
    outputs[edgeScoresFileName(job.eventId)] = edgeScoresToArrow(graph, scores);
  }
  const write = lap('write');
  const result: EventResult = {
    hits: event.hits.hitId.length,
    graphNodes: graph.hitId.length,
    graphEdges: graph.src.length,
    tracks: new Set(trackId).size,
    threshold: tracksCfg.threshold,
    timingsMs: { ...job.timingsMs, tracks: tracksMs, write },
  };
  if (event.truth) {
    const res = scoreEvent(event.truth, submission, { truthFile: job.truthFile, submissionFile: subName });
    const counts = countTracking(event.truth, submission, event.particles, res);
    const sub = restrictToGraph(event.truth, submission, graph);
    const graphCounts = countTracking(sub.truth, sub.submission, event.particles);
    const wp = job.evaluation.workingPoint ?? tracksCfg.threshold;
    const evalCounts = evaluateEvent(
      { hits: event.hits, truth: event.truth, particles: event.particles, graph, scores, result: res },
      job.evaluation,
      wp,
    );
    result.truth = {
      score: res.score,
      goodTracks: res.goodTracks,
      counts,
      graphCounts,
      scoreHist: scoreHistogram(graph, scores, SCORE_HIST_BINS),
      eval: evalCounts,
    };
    result.timingsMs.score = job.evalMs + lap('score');
  }
  return { result, outputs, spans };
}

/** lap(stage?) → milliseconds since the previous lap (or since lapTimer was called); with `spans` and a stage
 * name, the interval is also pushed there as a timeline span of this thread. */
export function lapTimer(spans?: StageSpan[]): (stage?: string) => number {
  let t = performance.now();
  return (stage) => {
    const now = performance.now();
    const ms = now - t;
    if (spans && stage) spans.push({ stage, thread: threadId, startMs: performance.timeOrigin + t, endMs: performance.timeOrigin + now });
    t = now;
    return ms;
  };
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
    hitId: pick(truth.hitId),
    particleId: pick(truth.particleId),
    tx: pick(truth.tx),
    ty: pick(truth.ty),
    tz: pick(truth.tz),
    tpx: pick(truth.tpx),
    tpy: pick(truth.tpy),
    tpz: pick(truth.tpz),
    weight: pick(truth.weight),
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
