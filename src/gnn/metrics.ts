// How well edge scores separate true from false edges: AUC, and efficiency/purity at a threshold — on all true
// edges and on the target edges (true, particle pT > 1 GeV) — plus the graph-level metrics (src/graph/metrics.ts)
// of the graph that keeps only the edges passing the threshold.
import type { Graph } from '../graph/graph.ts';
import { edgeMetrics, type EdgeMetrics } from '../graph/metrics.ts';

export const TARGET_PT_GEV = 1;

/** Area under the ROC curve: the probability that a random true edge outscores a random false one (ties: ½).
 * `include` (optional): only edges with include[e] = 1 take part. */
export function rocAuc(scores: Float32Array, y: Uint8Array, include?: Uint8Array): number {
  let n = 0;
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < scores.length; i++) if (!include || include[i] === 1) order[n++] = i;
  const sorted = order.subarray(0, n).sort((a, b) => scores[a] - scores[b]);
  const idx = (k: number): number => sorted[k];
  let pos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[idx(j + 1)] === scores[idx(i)]) j++;
    const midRank = (i + j) / 2 + 1; // 1-based average rank of the tie group
    for (let k = i; k <= j; k++)
      if (y[idx(k)] === 1) {
        pos++;
        rankSumPos += midRank;
      }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface ScoreMetrics {
  edges: number;
  trueEdges: number;
  threshold: number;
  /** Counts behind the ratios (so metrics of several graphs sum exactly, see sumScoreMetrics). */
  selected: number;
  selectedTrue: number;
  selectedTarget: number;
  selectedLowPtTrue: number;
  selectedSameParticle: number;
  /** AUC of all true edges against false ones. */
  auc: number;
  /** AUC of target edges (true, pT > 1 GeV) against false ones; true lower-pT edges left out. */
  aucPt1: number;
  /** Selected true edges / true edges. */
  efficiency: number;
  /** Selected true edges / selected edges. */
  purity: number;
  /** Target edges (true, pT > 1 GeV): selected / all of them in the graph. */
  targetEdges: number;
  efficiencyPt1: number;
  /** Selected target edges / selected edges that are not true lower-pT edges (those are neither target nor fake). */
  purityPt1: number;
  /** Selected edges joining two hits of one particle / selected edges: also counts the layer-skipping edges of a
   * particle (a→c beside a→b→c), which are labelled false but never merge two tracks. NaN without truth. */
  puritySameParticle: number;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** Metrics of `scores` (one per edge of `graph`) at `threshold`. Needs labels (graph.y); pT bins need truth. */
export function scoreMetrics(graph: Graph, scores: Float32Array, threshold: number): ScoreMetrics {
  const y = graph.y;
  if (!y) throw new Error('scoreMetrics: graph has no edge labels');
  const pt = graph.truth?.ptGeV;
  let trueEdges = 0;
  let selected = 0;
  let selectedTrue = 0;
  let target = 0;
  let selectedTarget = 0;
  let selectedLowPtTrue = 0;
  let selectedSameParticle = 0;
  const particle = graph.truth?.particle;
  const targetOrFalse = new Uint8Array(y.length);
  for (let e = 0; e < y.length; e++) {
    const isTrue = y[e] === 1;
    const isTarget = isTrue && pt !== undefined && pt[graph.src[e]] > TARGET_PT_GEV;
    const sel = scores[e] >= threshold;
    if (isTrue) trueEdges++;
    if (isTarget) target++;
    if (isTarget || !isTrue) targetOrFalse[e] = 1;
    if (!sel) continue;
    selected++;
    if (particle && particle[graph.src[e]] >= 0 && particle[graph.src[e]] === particle[graph.dst[e]]) selectedSameParticle++;
    if (isTrue) selectedTrue++;
    if (isTarget) selectedTarget++;
    else if (isTrue) selectedLowPtTrue++;
  }
  return {
    edges: y.length,
    trueEdges,
    threshold,
    selected,
    selectedTrue,
    selectedTarget,
    selectedLowPtTrue,
    selectedSameParticle,
    auc: rocAuc(scores, y),
    aucPt1: pt ? rocAuc(scores, y, targetOrFalse) : NaN,
    efficiency: ratio(selectedTrue, trueEdges),
    purity: ratio(selectedTrue, selected),
    targetEdges: target,
    efficiencyPt1: ratio(selectedTarget, target),
    purityPt1: ratio(selectedTarget, selected - selectedLowPtTrue),
    puritySameParticle: particle ? ratio(selectedSameParticle, selected) : NaN,
  };
}

/** Metrics of several graphs at one threshold: ratios from the summed counts; AUC is the mean over graphs. */
export function sumScoreMetrics(ms: readonly ScoreMetrics[]): ScoreMetrics {
  const sum = (f: (m: ScoreMetrics) => number): number => ms.reduce((a, m) => a + f(m), 0);
  const selected = sum((m) => m.selected);
  const selectedTrue = sum((m) => m.selectedTrue);
  const selectedTarget = sum((m) => m.selectedTarget);
  const selectedLowPtTrue = sum((m) => m.selectedLowPtTrue);
  const selectedSameParticle = sum((m) => m.selectedSameParticle);
  const trueEdges = sum((m) => m.trueEdges);
  const targetEdges = sum((m) => m.targetEdges);
  return {
    edges: sum((m) => m.edges),
    trueEdges,
    threshold: ms.length > 0 ? ms[0].threshold : NaN,
    selected,
    selectedTrue,
    selectedTarget,
    selectedLowPtTrue,
    selectedSameParticle,
    auc: ms.length > 0 ? sum((m) => m.auc) / ms.length : NaN,
    aucPt1: ms.length > 0 ? sum((m) => m.aucPt1) / ms.length : NaN,
    efficiency: ratio(selectedTrue, trueEdges),
    purity: ratio(selectedTrue, selected),
    targetEdges,
    efficiencyPt1: ratio(selectedTarget, targetEdges),
    purityPt1: ratio(selectedTarget, selected - selectedLowPtTrue),
    puritySameParticle: ms.some((m) => Number.isNaN(m.puritySameParticle)) ? NaN : ratio(selectedSameParticle, selected),
  };
}

/** The graph with only the edges scoring ≥ threshold (for graph-level metrics and the track builder). */
export function filterEdges(graph: Graph, scores: Float32Array, threshold: number): Graph {
  const keep: number[] = [];
  for (let e = 0; e < scores.length; e++) if (scores[e] >= threshold) keep.push(e);
  const src = new Uint32Array(keep.length);
  const dst = new Uint32Array(keep.length);
  const width = graph.edgeFeatures.length / Math.max(1, graph.src.length);
  const edgeFeatures = new Float32Array(keep.length * width);
  const y = graph.y ? new Uint8Array(keep.length) : undefined;
  keep.forEach((e, k) => {
    src[k] = graph.src[e];
    dst[k] = graph.dst[e];
    edgeFeatures.set(graph.edgeFeatures.subarray(e * width, (e + 1) * width), k * width);
    if (y) y[k] = graph.y![e];
  });
  return { ...graph, src, dst, edgeFeatures, ...(y ? { y } : {}) };
}

/** Graph-level metrics (efficiency against every true segment among the nodes, by pT) after the GNN's cut. */
export function filteredGraphMetrics(graph: Graph, scores: Float32Array, threshold: number): EdgeMetrics {
  return edgeMetrics(filterEdges(graph, scores, threshold));
}

/** Per score bin (`bins` − 1 bins per unit score, the last one holding score 1): target edges (true, pT >
 * `targetPtGeV`), true lower-pT edges, true edges and all edges, in one pass per graph; the threshold choosers then
 * take cumulative sums from the top. */
function scoreHistogram(graphs: readonly Graph[], scores: readonly Float32Array[], targetPtGeV: number, bins: number) {
  const perUnit = bins - 1;
  const target = new Float64Array(bins);
  const lowPtTrue = new Float64Array(bins);
  const trueE = new Float64Array(bins);
  const all = new Float64Array(bins);
  graphs.forEach((g, k) => {
    const s = scores[k];
    const pt = g.truth?.ptGeV;
    for (let e = 0; e < s.length; e++) {
      const b = Math.min(bins - 1, Math.floor(s[e] * perUnit));
      all[b]++;
      if (g.y![e] === 1) {
        trueE[b]++;
        if (pt && pt[g.src[e]] > targetPtGeV) target[b]++;
        else lowPtTrue[b]++;
      }
    }
  });
  return { target, lowPtTrue, trueE, all };
}

/** The threshold (on a 0.01 grid) that maximises min(efficiencyPt1, purity, purityPt1) summed over `graphs` — the
 * "Pt1" figures taken at `targetPtGeV` (1 GeV unless a model is trained for another pT) —
 * point where the targets are balanced, with purity taken both ways (true lower-pT edges counted as right, and left
 * out). Chosen on validation graphs, never on the test set. */
export function chooseThreshold(
  graphs: readonly Graph[],
  scores: readonly Float32Array[],
  targetPtGeV = TARGET_PT_GEV,
): { threshold: number; efficiencyPt1: number; purity: number; purityPt1: number } {
  const bins = 101;
  const { target, lowPtTrue, trueE, all } = scoreHistogram(graphs, scores, targetPtGeV, bins);
  const totalTarget = target.reduce((a, b) => a + b, 0);
  let best = { threshold: 0.5, efficiencyPt1: 0, purity: 0, purityPt1: 0 };
  const worst = (m: typeof best): number => Math.min(m.efficiencyPt1, m.purity, m.purityPt1);
  let selTarget = 0;
  let selLow = 0;
  let selTrue = 0;
  let sel = 0;
  for (let b = bins - 1; b >= 1; b--) {
    selTarget += target[b];
    selLow += lowPtTrue[b];
    selTrue += trueE[b];
    sel += all[b];
    const m = {
      threshold: b / 100,
      efficiencyPt1: ratio(selTarget, totalTarget),
      purity: ratio(selTrue, sel),
      purityPt1: ratio(selTarget, sel - selLow),
    };
    if (worst(m) > worst(best)) best = m;
  }
  return best;
}

/** For an edge filter: the highest threshold (0.001 grid) that keeps at least `minEfficiency` of the target edges
 * (true, pT > targetPtGeV) of `graphs` — what the filter may drop is then bounded, whatever purity it leaves. */
export function chooseFilterThreshold(
  graphs: readonly Graph[],
  scores: readonly Float32Array[],
  targetPtGeV: number,
  minEfficiency: number,
): { threshold: number; efficiencyPt1: number; purity: number; purityPt1: number; keptFraction: number } {
  const bins = 1001;
  const { target, lowPtTrue, trueE, all } = scoreHistogram(graphs, scores, targetPtGeV, bins);
  const totalTarget = target.reduce((a, b) => a + b, 0);
  const totalEdges = all.reduce((a, b) => a + b, 0);
  let selTarget = 0,
    selLow = 0,
    selTrue = 0,
    sel = 0;
  for (let b = bins - 1; b >= 0; b--) {
    selTarget += target[b];
    selLow += lowPtTrue[b];
    selTrue += trueE[b];
    sel += all[b];
    if (ratio(selTarget, totalTarget) >= minEfficiency || b === 0)
      return {
        threshold: b / 1000,
        efficiencyPt1: ratio(selTarget, totalTarget),
        purity: ratio(selTrue, sel),
        purityPt1: ratio(selTarget, sel - selLow),
        keptFraction: ratio(sel, totalEdges),
      };
  }
  throw new Error('unreachable');
}
