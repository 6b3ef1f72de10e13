// Edge efficiency and purity of a graph against its truth, by pT bin and by volume — the one definition the graph,
// GNN and report stages share. Efficiency = true segments kept / all true segments among the graph's nodes (so a
// pixel-only graph is judged on pixel segments); purity = true edges / all edges.
import { edgeCount, NODE_FEATURES, NODE_R, NODE_Z, nodeCount, R_SCALE_MM, Z_SCALE_MM, type Graph, type NodeTruth } from './graph.ts';
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
  const byPt = Object.fromEntries(bins.map((b) => [b, { segments: 0, kept: 0, efficiency: 0, purityInBin: 0 }])) as Record<
    PtBin,
    BinMetrics
  >;
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

/** The pT ranges (GeV) the whole-detector presets are judged on: [lo, hi). */
export const PT_RANGES_GEV: readonly (readonly [number, number])[] = [
  [0, 0.3],
  [0.3, 0.5],
  [0.5, 1],
  [1, Infinity],
];
/** |η| ranges of the by-η tables. */
export const ABS_ETA_RANGES: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 4.5],
];

export interface RangeEfficiency {
  lo: number;
  hi: number;
  /** True segments of particles in the range / of those produced within PROMPT_VERTEX_R_MM of the beam axis. */
  segments: number;
  kept: number;
  efficiency: number;
  promptSegments: number;
  promptKept: number;
  promptEfficiency: number;
}

/** Efficiency of true segments by particle pT range, by |η| of the segment's inner hit, and by the volume of its
 * inner hit: a segment counts as kept when it is an edge of the graph and `selected[e]` (omitted: every edge) —
 * graph efficiency, or with a GNN's cut the edge efficiency after it. The |η| and volume tables count particles
 * with pT ≥ `minPtGeV` only (the pT a preset is built for). */
export function efficiencyByRange(
  graph: Graph,
  selected?: Uint8Array,
  opts: { minPtGeV?: number; ptRanges?: typeof PT_RANGES_GEV; etaRanges?: typeof ABS_ETA_RANGES } = {},
): {
  byPt: RangeEfficiency[];
  byAbsEta: RangeEfficiency[];
  byVolume: Record<string, { segments: number; kept: number; efficiency: number }>;
} {
  const truth = graph.truth;
  if (!truth) throw new Error('efficiencyByRange: graph has no truth');
  const y = graph.y ?? labelEdges(graph.src, graph.dst, truth);
  const n = nodeCount(graph);
  // Kept true edges keyed by their (inner, outer) node pair.
  const kept = new Set<number>();
  for (let e = 0; e < graph.src.length; e++) if (y[e] === 1 && (!selected || selected[e] === 1)) kept.add(graph.src[e] * n + graph.dst[e]);
  const { minPtGeV = 0, ptRanges = PT_RANGES_GEV, etaRanges = ABS_ETA_RANGES } = opts;
  const make = (r: readonly [number, number]): RangeEfficiency => ({
    lo: r[0],
    hi: r[1],
    segments: 0,
    kept: 0,
    efficiency: 0,
    promptSegments: 0,
    promptKept: 0,
    promptEfficiency: 0,
  });
  const byPt = ptRanges.map(make);
  const byAbsEta = etaRanges.map(make);
  const byVolume: Record<string, { segments: number; kept: number; efficiency: number }> = {};
  const seg = trueSegments(truth);
  const f = graph.nodeFeatures;
  const add = (m: RangeEfficiency, hit: boolean, prompt: boolean): void => {
    m.segments++;
    if (hit) m.kept++;
    if (prompt) {
      m.promptSegments++;
      if (hit) m.promptKept++;
    }
  };
  for (let s = 0; s < seg.src.length; s++) {
    const a = seg.src[s];
    const b = seg.dst[s];
    const hit = kept.has(a * n + b) || kept.has(b * n + a);
    const pt = truth.ptGeV[a];
    const prompt = truth.vertexRMm[a] < PROMPT_VERTEX_R_MM;
    for (const m of byPt) if (pt >= m.lo && pt < m.hi) add(m, hit, prompt);
    if (pt < minPtGeV) continue;
    const absEta = Math.abs(Math.asinh((f[a * NODE_FEATURES + NODE_Z] * Z_SCALE_MM) / (f[a * NODE_FEATURES + NODE_R] * R_SCALE_MM)));
    for (const m of byAbsEta) if (absEta >= m.lo && absEta < m.hi) add(m, hit, prompt);
    const v = String(graph.volumeId[a]);
    const vm = (byVolume[v] ??= { segments: 0, kept: 0, efficiency: 0 });
    vm.segments++;
    if (hit) vm.kept++;
  }
  for (const m of [...byPt, ...byAbsEta]) {
    m.efficiency = ratio(m.kept, m.segments);
    m.promptEfficiency = ratio(m.promptKept, m.promptSegments);
  }
  for (const vm of Object.values(byVolume)) vm.efficiency = ratio(vm.kept, vm.segments);
  return { byPt, byAbsEta, byVolume };
}
