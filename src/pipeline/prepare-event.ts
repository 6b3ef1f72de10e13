// First half of an event's processing: read, graph, edge scores (the GNN), on whichever thread runs it (the
// pipeline's own, or an event-pool worker). Hits only inside the timed chain; truth is evaluation.
import { buildGraph, computeNodeTruth, labelEdges, makeGraphContext } from '../graph/index.ts';
import { readEvent, readParticles, readTruth, type EventFiles } from '../trackml/index.ts';
import { lapTimer, type FinishJob } from './finish-event.ts';
import type { PipelineConfig } from './pipeline-config.ts';
import type { EdgeScorer } from './scorers.ts';

/** First half of an event: read, graph, edge scores (the GNN runs on this thread). */
export async function prepareEvent(
  files: EventFiles,
  key: string,
  config: PipelineConfig,
  ctx: ReturnType<typeof makeGraphContext>,
  scorer: EdgeScorer,
  tracksCfg: PipelineConfig['tracks'] & { threshold: number },
  subFile: string,
): Promise<FinishJob> {
  const lap = lapTimer();
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
  return { key, eventId: files.eventId, subFile, truthFile: files.truth, saveGraphs: config.saveGraphs, evaluation: config.evaluation, tracksCfg, event, graph, scores, timingsMs: { read, graph: graphMs, gnn }, evalMs };
}
