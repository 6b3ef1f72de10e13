// The evaluation of one event with truth, as counts that add up over events (acorn's eval plots, per event):
// graph-construction and GNN edge efficiency of target segments vs pT, η and r–z; edge purity at the working
// point vs pT and η; tracking efficiency of target particles and fake / duplicate rates of tracks vs pT and η;
// and the stage commands' own summary numbers (edgeMetrics of stage:graphs, scoreMetrics of stage:infer), so the
// report's figures equal theirs.
import type { ScoreResult } from '../../scoring/index.ts';
import type { Graph } from '../graph/graph.ts';
import { edgeMetrics } from '../graph/metrics.ts';
import { trueSegments } from '../graph/truth.ts';
import { scoreMetrics, type ScoreMetrics } from '../gnn/metrics.ts';
import { hitRowLookup } from '../trackml/hit-lookup.ts';
import type { Hits, Particles, Truth } from '../trackml/types.ts';
import { binOf, evalAxes, PRIMARY_VERTEX_R_MM, type EvalAxes, type EvaluationConfig } from './eval-config.ts';

/** Counts per bin: `total` candidates and `pass` of them (an efficiency k / n per bin). */
export interface Ratio {
  total: number[];
  pass: number[];
}

export interface EvalCounts extends EvalAxes {
  workingPoint: number;
  /** Target particles (≥ minHits, primary, η / pT range) and those a good track found (score definition). */
  particlesVsPt: Ratio;
  particlesVsEta: Ratio;
  /** Tracks of ≥ 3 hits by their majority particle's pT and η: fakes (no > 50 % particle) and duplicates. */
  tracksVsPt: { tracks: number[]; fakes: number[]; duplicates: number[] };
  tracksVsEta: { tracks: number[]; fakes: number[]; duplicates: number[] };
  /** Target true segments (consecutive hits of a target particle among the graph's nodes): in the graph
   * (graph construction), and kept at the working point among those in the graph (GNN). */
  graphVsPt: Ratio;
  graphVsEta: Ratio;
  gnnVsPt: Ratio;
  gnnVsEta: Ratio;
  /** The same in r–z of the segment's inner hit, z-major: index zBin · rBins + rBin. */
  graphRZ: Ratio;
  gnnRZ: Ratio;
  /** Edges kept at the working point (total) and true ones (pass), by the pT of the inner hit's particle (noise
   * left out) and by the inner hit's η. */
  purityVsPt: Ratio;
  purityVsEta: Ratio;
  /** stage:graphs' figures (edgeMetrics): true pT > 1 segments and those kept, edges, true edges. */
  graph: { segmentsPt1: number; keptPt1: number; segments: number; kept: number; edges: number; trueEdges: number };
  /** stage:infer's figures at the working point (scoreMetrics). */
  gnn: ScoreMetrics;
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);
const ratio = (n: number): Ratio => ({ total: zeros(n), pass: zeros(n) });
const trackHist = (n: number) => ({ tracks: zeros(n), fakes: zeros(n), duplicates: zeros(n) });

export function emptyEvalCounts(c: EvaluationConfig, workingPoint: number): EvalCounts {
  const ax = evalAxes(c);
  const nPt = ax.ptEdgesGeV.length - 1,
    nEta = ax.etaEdges.length - 1,
    nRZ = (ax.zEdgesMm.length - 1) * (ax.rEdgesMm.length - 1);
  return {
    ...ax,
    workingPoint,
    particlesVsPt: ratio(nPt),
    particlesVsEta: ratio(nEta),
    tracksVsPt: trackHist(nPt),
    tracksVsEta: trackHist(nEta),
    graphVsPt: ratio(nPt),
    graphVsEta: ratio(nEta),
    gnnVsPt: ratio(nPt),
    gnnVsEta: ratio(nEta),
    graphRZ: ratio(nRZ),
    gnnRZ: ratio(nRZ),
    purityVsPt: ratio(nPt),
    purityVsEta: ratio(nEta),
    graph: { segmentsPt1: 0, keptPt1: 0, segments: 0, kept: 0, edges: 0, trueEdges: 0 },
    gnn: undefined as unknown as ScoreMetrics,
  };
}

interface Kinematics {
  ptGeV: number;
  eta: number;
  vertexRMm: number;
  nhits: number;
}

/** pT, η, vertex radius and hit count per particle id: from particles.csv when given, else from the truth
 * momentum at the particle's first hit (vertex unknown: taken as primary). */
function particleKinematics(truth: Truth, particles: Particles | undefined): Map<bigint, Kinematics> {
  const out = new Map<bigint, Kinematics>();
  for (let r = 0; r < truth.hitId.length; r++) {
    const p = truth.particleId[r];
    if (p === 0n) continue;
    let k = out.get(p);
    if (!k) {
      const pt = Math.hypot(truth.tpx[r], truth.tpy[r]);
      out.set(p, (k = { ptGeV: pt, eta: Math.asinh(truth.tpz[r] / Math.max(pt, 1e-12)), vertexRMm: 0, nhits: 0 }));
    }
    k.nhits++;
  }
  if (particles) {
    for (let i = 0; i < particles.particleId.length; i++) {
      const k = out.get(particles.particleId[i]);
      if (!k) continue;
      const pt = Math.hypot(particles.px[i], particles.py[i]);
      k.ptGeV = pt;
      k.eta = Math.asinh(particles.pz[i] / Math.max(pt, 1e-12));
      k.vertexRMm = Math.hypot(particles.vx[i], particles.vy[i]);
    }
  }
  return out;
}

const add = (r: Ratio, bin: number, pass: boolean): void => {
  if (bin < 0) return;
  r.total[bin]++;
  if (pass) r.pass[bin]++;
};

export interface EvalInputs {
  hits: Hits;
  truth: Truth;
  particles?: Particles;
  graph: Graph;
  scores: Float32Array;
  result: ScoreResult;
}

/** Counts of one event (see EvalCounts). */
export function evaluateEvent(inp: EvalInputs, c: EvaluationConfig, workingPoint: number): EvalCounts {
  const out = emptyEvalCounts(c, workingPoint);
  const t = c.targetParticles;
  const kin = particleKinematics(inp.truth, inp.particles);
  const inPt = (k: Kinematics) => k.ptGeV >= t.ptGeV[0] && (t.ptGeV[1] === null || k.ptGeV <= t.ptGeV[1]);
  const inEta = (k: Kinematics) => Math.abs(k.eta) <= t.absEtaMax;
  const base = (k: Kinematics) => k.nhits >= t.minHits && (!t.primaryOnly || k.vertexRMm < PRIMARY_VERTEX_R_MM);
  const ptBin = (v: number) => binOf(out.ptEdgesGeV, v);
  const etaBin = (v: number) => binOf(out.etaEdges, v);

  // Tracking efficiency: a target particle is found when a good track (the score's definition) is its.
  const pt = inp.result.perTrack;
  const found = new Set<bigint>();
  for (let k = 0; k < pt.good.length; k++) if (pt.good[k] === 1 && pt.majorParticleId[k] !== 0n) found.add(pt.majorParticleId[k]);
  for (const [p, k] of kin) {
    if (!base(k)) continue;
    if (inEta(k)) add(out.particlesVsPt, ptBin(k.ptGeV), found.has(p));
    if (inPt(k)) add(out.particlesVsEta, etaBin(k.eta), found.has(p));
  }
  // Fake and duplicate rates of tracks with ≥ 3 hits, by their majority particle.
  const seen = new Map<bigint, number>();
  for (let k = 0; k < pt.nhits.length; k++) {
    if (pt.nhits[k] < 3) continue;
    const p = pt.majorParticleId[k];
    const kp = p === 0n ? undefined : kin.get(p);
    if (!kp) continue; // noise-majority tracks have no pT or η to be binned by (counted in the tables as fakes)
    const fake = !(pt.majorNhits[k] / pt.nhits[k] > 0.5);
    let dup = false;
    if (!fake) {
      const n = seen.get(p) ?? 0;
      seen.set(p, n + 1);
      dup = n > 0;
    }
    for (const [h, b] of [
      [out.tracksVsPt, ptBin(kp.ptGeV)],
      [out.tracksVsEta, etaBin(kp.eta)],
    ] as const) {
      if (b < 0) continue;
      h.tracks[b]++;
      if (fake) h.fakes[b]++;
      if (dup) h.duplicates[b]++;
    }
  }
  evaluateEdges(inp, out, workingPoint, kin, { inPt, inEta, base });
  return out;
}

/** Edge-level counts (graph construction, GNN at the working point, purity) and the stage commands' figures. */
function evaluateEdges(
  inp: EvalInputs,
  out: EvalCounts,
  wp: number,
  kin: Map<bigint, Kinematics>,
  cut: { inPt: (k: Kinematics) => boolean; inEta: (k: Kinematics) => boolean; base: (k: Kinematics) => boolean },
): void {
  const g = inp.graph;
  const truth = g.truth!;
  const y = g.y!;
  const s = inp.scores;
  const rowOf = hitRowLookup(inp.hits.hitId);
  const nodes = g.hitId.length;
  const r = new Float32Array(nodes),
    z = new Float32Array(nodes),
    eta = new Float32Array(nodes);
  for (let i = 0; i < nodes; i++) {
    const row = rowOf(g.hitId[i]);
    r[i] = Math.hypot(inp.hits.x[row], inp.hits.y[row]);
    z[i] = inp.hits.z[row];
    eta[i] = Math.asinh(z[i] / Math.max(r[i], 1e-6));
  }
  // True edges of the graph by their (unordered) node pair.
  const edgeOf = new Map<number, number>();
  const key = (a: number, b: number) => Math.min(a, b) * nodes + Math.max(a, b);
  for (let e = 0; e < y.length; e++) if (y[e] === 1) edgeOf.set(key(g.src[e], g.dst[e]), e);
  const nR = out.rEdgesMm.length - 1;
  const seg = trueSegments(truth);
  for (let k = 0; k < seg.src.length; k++) {
    const a = seg.src[k],
      b = seg.dst[k];
    const kp = kin.get(truth.particleId[a]);
    if (!kp || !cut.base(kp)) continue;
    const e = edgeOf.get(key(a, b));
    const inGraph = e !== undefined;
    const kept = inGraph && s[e] >= wp;
    const pb = cut.inEta(kp) ? binOf(out.ptEdgesGeV, kp.ptGeV) : -1;
    const eb = cut.inPt(kp) ? binOf(out.etaEdges, eta[a]) : -1;
    add(out.graphVsPt, pb, inGraph);
    add(out.graphVsEta, eb, inGraph);
    if (inGraph) (add(out.gnnVsPt, pb, kept), add(out.gnnVsEta, eb, kept));
    if (cut.inPt(kp) && cut.inEta(kp)) {
      const zb = binOf(out.zEdgesMm, z[a]),
        rb = binOf(out.rEdgesMm, r[a]);
      const cell = zb >= 0 && rb >= 0 ? zb * nR + rb : -1;
      add(out.graphRZ, cell, inGraph);
      if (inGraph) add(out.gnnRZ, cell, kept);
    }
  }
  for (let e = 0; e < s.length; e++) {
    if (!(s[e] >= wp)) continue;
    const a = g.src[e];
    const isTrue = y[e] === 1;
    if (truth.particle[a] >= 0) add(out.purityVsPt, binOf(out.ptEdgesGeV, truth.ptGeV[a]), isTrue);
    add(out.purityVsEta, binOf(out.etaEdges, eta[a]), isTrue);
  }
  const m = edgeMetrics(g);
  out.graph = {
    segmentsPt1: m.byPt.pt1.segments,
    keptPt1: m.byPt.pt1.kept,
    segments: m.byPt.all.segments,
    kept: m.byPt.all.kept,
    edges: m.edges,
    trueEdges: m.trueEdges,
  };
  out.gnn = scoreMetrics(g, s, wp);
}

/** Sums `c` into `into` (same config). The GNN figures (ScoreMetrics) are left to sumScoreMetrics over the
 * events, as stage:infer's are. */
export function addEvalCounts(into: EvalCounts, c: EvalCounts): EvalCounts {
  const addArr = (a: number[], b: number[]) => b.forEach((v, i) => (a[i] += v));
  for (const k of [
    'particlesVsPt',
    'particlesVsEta',
    'graphVsPt',
    'graphVsEta',
    'gnnVsPt',
    'gnnVsEta',
    'graphRZ',
    'gnnRZ',
    'purityVsPt',
    'purityVsEta',
  ] as const) {
    addArr(into[k].total, c[k].total);
    addArr(into[k].pass, c[k].pass);
  }
  for (const k of ['tracksVsPt', 'tracksVsEta'] as const) {
    addArr(into[k].tracks, c[k].tracks);
    addArr(into[k].fakes, c[k].fakes);
    addArr(into[k].duplicates, c[k].duplicates);
  }
  for (const k of Object.keys(into.graph) as (keyof EvalCounts['graph'])[]) into.graph[k] += c.graph[k];
  return into;
}
