// Config of the evaluation the pipeline runs on events with truth (acorn's eval stage settings: target particles,
// working point, binning). Strict like every stage config; every key has a default.
import { z } from 'zod';

import { PROMPT_VERTEX_R_MM } from '../graph/metrics.ts';

/** Production vertex within this distance of the beam axis = primary (acorn's `primary`; TrackML has no flag):
 * the graph metrics' "prompt" definition. */
export const PRIMARY_VERTEX_R_MM = PROMPT_VERTEX_R_MM;

const range = (lo: number, hi: number | null) => z.tuple([z.number().min(0), z.number().positive().nullable()]).default([lo, hi]);

export const evaluationConfigSchema = z.strictObject({
  /** Edge-score cut for the edge metrics and the confusion matrix (acorn's `score_cut`); omitted: the threshold
   * the tracks were built at. */
  workingPoint: z.number().min(0).max(1).optional(),
  /** Particles the efficiencies are about (acorn's `target_tracks`). Plots against pT apply every cut but the pT
   * range; plots against η every cut but the η range. */
  targetParticles: z
    .strictObject({
      /** [min, max] of the particle's production pT in GeV; null = no upper bound. */
      ptGeV: range(1, null),
      /** At least this many hits in the event. */
      minHits: z.number().int().min(1).default(3),
      /** Only particles produced within PRIMARY_VERTEX_R_MM of the beam axis. */
      primaryOnly: z.boolean().default(true),
      /** |η| of the particle's momentum at production at most this. */
      absEtaMax: z.number().positive().max(10).default(4),
    })
    .prefault({}),
  /** pT axis: log-spaced bins over [min, max] GeV. */
  ptAxisGeV: z.tuple([z.number().positive(), z.number().positive()]).default([0.1, 50]),
  ptBins: z.number().int().min(2).max(100).default(14),
  /** η axis: uniform bins over [−absEtaMax, absEtaMax]. */
  etaBins: z.number().int().min(2).max(200).default(16),
  /** r–z map of edge efficiency: bins over |z| ≤ zMaxMm and r ≤ rMaxMm (inner hit of the segment). */
  rz: z
    .strictObject({
      zMaxMm: z.number().positive().default(3000),
      rMaxMm: z.number().positive().default(1100),
      zBins: z.number().int().min(2).max(400).default(40),
      rBins: z.number().int().min(2).max(400).default(22),
    })
    .prefault({}),
  /** Confidence level of the Clopper–Pearson (exact binomial) error bars; 0.6827 = ±1σ, as acorn's plots. */
  confidenceLevel: z.number().gt(0).lt(1).default(0.6827),
});

export type EvaluationConfig = z.output<typeof evaluationConfigSchema>;

export interface EvalAxes {
  ptEdgesGeV: number[];
  etaEdges: number[];
  zEdgesMm: number[];
  rEdgesMm: number[];
}

/** Bin edges of every axis of the evaluation. */
export function evalAxes(c: EvaluationConfig): EvalAxes {
  const [lo, hi] = c.ptAxisGeV;
  const eta = c.targetParticles.absEtaMax;
  const lin = (a: number, b: number, n: number) => Array.from({ length: n + 1 }, (_, i) => a + ((b - a) * i) / n);
  return {
    ptEdgesGeV: Array.from({ length: c.ptBins + 1 }, (_, i) => lo * (hi / lo) ** (i / c.ptBins)),
    etaEdges: lin(-eta, eta, c.etaBins),
    zEdgesMm: lin(-c.rz.zMaxMm, c.rz.zMaxMm, c.rz.zBins),
    rEdgesMm: lin(0, c.rz.rMaxMm, c.rz.rBins),
  };
}

/** Bin of v in ascending edges, −1 outside. */
export function binOf(edges: readonly number[], v: number): number {
  if (!(v >= edges[0]) || !(v < edges[edges.length - 1])) return -1;
  let lo = 0,
    hi = edges.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (v >= edges[mid]) lo = mid;
    else hi = mid;
  }
  return lo;
}
