// What a pipeline run reports: the summary type shared by the runner, the report writer and the benchmarks, and
// the throughput anchor it is compared with. Types only (and one constant): no stage code, so no import cycle.
import type { HistoryPoint } from '../gnn/checkpoint.ts';
import type { ScoreMetrics } from '../gnn/metrics.ts';
import type { TrackingCounts } from '../tracks/index.ts';
import type { EvalCounts } from './evaluate.ts';
import type { PipelineConfig } from './pipeline-config.ts';
import type { EventRecord, TimedStage } from './finish-event.ts';

/** TrackML throughput-phase winner (a C++ combinatorial tracker): 0.26–0.38 s per real full event on this 2-core
 * machine class with 2 threads — 0.38 s in the run that measured this pipeline (issue #16) — at TrackML score 0.945
 * on the real sample (the anchor the summary cites). */
export const THROUGHPUT_ANCHOR = { secondsPerEvent: 0.38, cores: 2, score: 0.945 } as const;

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
  /** Sum of the mean stage times: an event's latency. */
  meanTrackingMs: number;
  /** Wall time per event as the records kept it from the runs that computed them (below meanTrackingMs when
   * `overlapped`), and the same without each run's first event. */
  wallMsPerEvent?: number;
  steadyWallMsPerEvent?: number;
  /** Events overlapped: tracks on a worker thread during the next event's graph and GNN, or (parallelEvents)
   * whole events in parallel on worker threads. */
  overlapped: boolean;
  /** Events processed at once on worker threads (src/pipeline/event-pool.ts); absent when one at a time. */
  parallelEvents?: number;
  /** From wallMsPerEvent. */
  eventsPerSecond: number;
  /** Mean TrackML score over events with truth (undefined without truth). */
  meanScore?: number;
  counts?: TrackingCounts;
  graphCounts?: TrackingCounts;
  scoreHist?: { trueEdges: number[]; falseEdges: number[] };
  /** The evaluation summed over events with truth; `gnn` as stage:infer sums it (sumScoreMetrics). */
  evaluation?: EvalCounts & { gnn: ScoreMetrics; events: number };
  /** The model's training history (scorer "gnn"), when it has one. */
  training?: { points: HistoryPoint[]; source: string };
  reportJson: string;
  reportHtml: string;
  summaryLine: string;
}
