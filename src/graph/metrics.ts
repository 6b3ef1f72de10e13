// Edge efficiency and purity of a graph against its truth, by pT bin and by volume — the one definition the graph,
// GNN and report stages share. Efficiency = true segments kept / all true segments among the graph's nodes (so a
// pixel-only graph is judged on pixel segments); purity = true edges / all edges.
import { edgeCount, nodeCount, type Graph, type NodeTruth } from './graph.ts';
import { labelEdges, trueSegments } from './truth.ts';

/** Bins: pT above a threshold (GeV); the "Prompt" bins also need a production vertex within
 * PROMPT_VERTEX_R_MM of the beam axis (what a beamline-constrained builder can be expected to find). */
export const PT_BINS_GEV = { all: 0, pt0p5: 0.5, pt1: 1, pt0p5Prompt: 0.5, pt1Prompt: 1 } as const;
export type PtBin = keyof typeof PT_BINS_GEV;
export const PROMPT_VERTEX_R_MM = 2;
const inBin = (b: PtBin, pt: number, vertexRMm: number): boolean =>
  pt > PT_BINS_GEV[b] && (!b.endsWith('Prompt') || vertexRMm < PROMPT_VERTEX_R_MM);

export interface BinMetrics {
  /** True segments whose particle has pT above the bin's threshold. */
  segments: number;
  /** Of those, how many are edges of the graph. */
  kept: number;
  efficiency: number;
  /** True edges of particles in the bin / all edges (strict: true edges of lower-pT particles count as fakes). */
  purityInBin: number;
}

export interface VolumeMetrics {
  segments: number;
  kept: number;
  efficiency: number;
  edges: number;
  trueEdges: number;
  purity: number;
}

export interface EdgeMetrics {
  nodes: number;
  edges: number;
  trueEdges: number;
  /** edges / nodes */
  edgesPerHit: number;
  /** true edges (any pT) / all edges */
  purity: number;
  byPt: Record<PtBin, BinMetrics>;
  /** By the volume of the segment's inner hit (for edges: the src node). */
  byVolume: Record<string, VolumeMetrics>;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** Metrics of `graph` against `truth` (default: the graph's own). Labels are `graph.y` or recomputed from truth. */
export function edgeMetrics(graph: Graph, truth: NodeTruth | undefined = graph.truth): EdgeMetrics {
  if (!truth) throw new Error('edgeMetrics: graph has no truth');
  const y = graph.y ?? labelEdges(graph.src, graph.dst, truth);
  const bins = Object.keys(PT_BINS_GEV) as PtBin[];
  const byPt = Object.fromEntries(
    bins.map((b) => [b, { segments: 0, kept: 0, efficiency: 0, purityInBin: 0 }]),
  ) as Record<PtBin, BinMetrics>;
  const vol = new Map<number, VolumeMetrics>();
  const volOf = (v: number): VolumeMetrics => {
    let m = vol.get(v);
    if (!m) vol.set(v, (m = { segments: 0, kept: 0, efficiency: 0, edges: 0, trueEdges: 0, purity: 0 }));
    return m;
  };

  const seg = trueSegments(truth);
  for (let s = 0; s < seg.src.length; s++) {
    const pt = truth.ptGeV[seg.src[s]];
    const vr = truth.vertexRMm[seg.src[s]];
    for (const b of bins) if (inBin(b, pt, vr)) byPt[b].segments++;
    volOf(graph.volumeId[seg.src[s]]).segments++;
  }
  let trueEdges = 0;
  const nEdges = edgeCount(graph);
  for (let e = 0; e < nEdges; e++) {
    const a = graph.src[e];
    const m = volOf(graph.volumeId[a]);
    m.edges++;
    if (y[e] !== 1) continue;
    trueEdges++;
    m.trueEdges++;
    const inner = truth.rank[a] < truth.rank[graph.dst[e]] ? a : graph.dst[e];
    volOf(graph.volumeId[inner]).kept++;
    const pt = truth.ptGeV[a];
    const vr = truth.vertexRMm[a];
    for (const b of bins) if (inBin(b, pt, vr)) byPt[b].kept++;
  }
  for (const b of bins) {
    byPt[b].efficiency = ratio(byPt[b].kept, byPt[b].segments);
    byPt[b].purityInBin = ratio(byPt[b].kept, nEdges);
  }
  const byVolume: Record<string, VolumeMetrics> = {};
  for (const v of [...vol.keys()].sort((p, q) => p - q)) {
    const m = vol.get(v)!;
    m.efficiency = ratio(m.kept, m.segments);
    m.purity = ratio(m.trueEdges, m.edges);
    byVolume[String(v)] = m;
  }
  return {
    nodes: nodeCount(graph),
    edges: nEdges,
    trueEdges,
    edgesPerHit: ratio(nEdges, nodeCount(graph)),
    purity: ratio(trueEdges, nEdges),
    byPt,
    byVolume,
  };
}
