// One event through the pipeline in memory, for a caller that has no directories: the web page's worker runs
// dropped files through it. The same stage functions, in the same order and with the same config as
// `npm run pipeline` (run-pipeline.ts prepareEvent + finish-event.ts): graph → edge scores → tracks → submission
// text, then truth joined and the official score. Pure: no Node builtins.
import { scoreEvent, type ScoreResult } from '../../scoring/score.ts';
import type { GraphContext } from '../graph/build.ts';
import { buildGraph } from '../graph/build.ts';
import type { Graph } from '../graph/graph.ts';
import { computeNodeTruth, labelEdges } from '../graph/truth.ts';
import { formatSubmission } from '../trackml/format-csv.ts';
import type { Submission, TrackmlEvent } from '../trackml/types.ts';
import { buildEventTracks } from '../tracks/build.ts';
import type { EdgeScorer } from './edge-scorer.ts';
import type { PipelineConfig } from './pipeline-config.ts';

/** Stages of one event in memory, in order ('score' is evaluation: only with truth). */
export const EVENT_STAGES = ['graph', 'gnn', 'tracks', 'write', 'score'] as const;
export type EventStage = (typeof EVENT_STAGES)[number];

/** The edge-score threshold tracks are built at: the config's, else the model's calibrated one, else 0.5. */
export function tracksThreshold(config: Pick<PipelineConfig, 'tracks'>, scorer: Pick<EdgeScorer, 'threshold'>): number {
  return config.tracks.threshold ?? scorer.threshold ?? 0.5;
}

export interface TrackedEvent {
  graph: Graph;
  scores: Float32Array;
  submission: Submission;
  /** The submission file's text, byte for byte what `npm run pipeline` writes. */
  submissionCsv: string;
  threshold: number;
  /** With truth: the official TrackML score of the submission. */
  score?: ScoreResult;
  timingsMs: Partial<Record<EventStage, number>>;
}

/** `event` (hits; truth and particles when given) through graph, GNN, tracks and submission, and scored with truth.
 * `onStage(stage)` is called as each stage starts, `onStage(stage, ms)` when it ends. `labels` name the truth file
 * and the submission in the scorer's errors. */
export async function trackEvent(
  event: TrackmlEvent,
  setup: { config: PipelineConfig; ctx: GraphContext; scorer: EdgeScorer },
  onStage: (stage: EventStage, ms?: number) => void = () => undefined,
  labels: { truthFile?: string; submissionFile?: string } = {},
): Promise<TrackedEvent> {
  const { config, ctx, scorer } = setup;
  const timingsMs: TrackedEvent['timingsMs'] = {};
  let t = 0;
  const start = (s: EventStage) => {
    onStage(s);
    t = performance.now();
  };
  const end = (s: EventStage) => {
    timingsMs[s] = performance.now() - t;
    onStage(s, timingsMs[s]);
  };
  // As the Node pipeline: the graph from the hits alone (truth is evaluation, joined under "score").
  start('graph');
  const graph = buildGraph({ eventId: event.eventId, hits: event.hits }, ctx, config.graph);
  end('graph');
  start('gnn');
  const scores = await scorer.score(graph);
  if (scores.length !== graph.src.length)
    throw new Error(`scorer ${scorer.id} returned ${scores.length} scores for ${graph.src.length} edges`);
  end('gnn');
  const threshold = tracksThreshold(config, scorer);
  start('tracks');
  const trackId = buildEventTracks(event.hits, graph, scores, { ...config.tracks, threshold });
  end('tracks');
  start('write');
  const submission: Submission = { hitId: event.hits.hitId, trackId };
  const submissionCsv = formatSubmission(submission);
  end('write');
  const out: TrackedEvent = { graph, scores, submission, submissionCsv, threshold, timingsMs };
  if (event.truth) {
    start('score');
    graph.truth = computeNodeTruth(graph.hitId, graph.layer, event.truth, event.particles);
    graph.y = labelEdges(graph.src, graph.dst, graph.truth);
    out.score = scoreEvent(event.truth, submission, labels);
    end('score');
  }
  return out;
}
