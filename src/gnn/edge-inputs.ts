// Edge inputs of the Interaction Network, per edge: the graph's features, two derived ones and the triplet ones
// (each optional, per the model config). Plain typed arrays, no tfjs: the tfjs model and the ONNX engine share it.
import {
  EDGE_DPHI,
  EDGE_DR,
  EDGE_DZ,
  EDGE_FEATURES,
  NODE_FEATURES,
  NODE_R,
  NODE_Z,
  R_SCALE_MM,
  Z_SCALE_MM,
  type Graph,
} from '../graph/graph.ts';
import type { ModelConfig } from './config.ts';
import { TRIPLET_FEATURES, tripletFeatures } from './triplets.ts';

/** Derived edge inputs: φ slope (rad/mm × 1000, so the pT ≥ 1 GeV cut 0.001 rad/mm is 1) and z0 (mm / 200, so the
 * ±200 mm beam-spot cut is ±1), both clipped to ±10 (near-equal radii on disks make the ratios blow up). */
export const DERIVED_FEATURES = 2;
const MIN_DR_MM = 0.5;
const clip10 = (x: number): number => (x > 10 ? 10 : x < -10 ? -10 : x);

/** Edge inputs per edge: the graph's features, then the derived ones, then the triplet ones (each optional). */
export type EdgeInputOptions = Pick<ModelConfig, 'derivedFeatures' | 'tripletFeatures'> & Partial<Pick<ModelConfig, 'tripletPtGeV'>>;
export function edgeInputWidth(o: EdgeInputOptions): number {
  return EDGE_FEATURES + (o.derivedFeatures ? DERIVED_FEATURES : 0) + (o.tripletFeatures ? TRIPLET_FEATURES : 0);
}

/** Edge inputs of edges [a, b) (row-major, edgeInputWidth per edge); `triplets` from tripletFeatures when used. */
export function edgeInputs(
  graph: Pick<Graph, 'nodeFeatures' | 'edgeFeatures' | 'src' | 'dst'>,
  a: number,
  b: number,
  opts: EdgeInputOptions,
  triplets?: Float32Array,
): Float32Array {
  const raw = graph.edgeFeatures.subarray(a * EDGE_FEATURES, b * EDGE_FEATURES);
  if (!opts.derivedFeatures && !opts.tripletFeatures) return raw;
  const width = edgeInputWidth(opts);
  const out = new Float32Array((b - a) * width);
  const derived = opts.derivedFeatures;
  const nf = graph.nodeFeatures;
  for (let e = a; e < b; e++) {
    const o = (e - a) * width;
    const f = e * EDGE_FEATURES;
    for (let k = 0; k < EDGE_FEATURES; k++) out[o + k] = graph.edgeFeatures[f + k];
    if (triplets) for (let k = 0; k < TRIPLET_FEATURES; k++) out[o + width - TRIPLET_FEATURES + k] = triplets[e * TRIPLET_FEATURES + k];
    if (!derived) continue;
    let drMm = graph.edgeFeatures[f + EDGE_DR] * R_SCALE_MM;
    if (Math.abs(drMm) < MIN_DR_MM) drMm = drMm < 0 ? -MIN_DR_MM : MIN_DR_MM;
    const dPhiRad = graph.edgeFeatures[f + EDGE_DPHI] * Math.PI;
    const dzMm = graph.edgeFeatures[f + EDGE_DZ] * Z_SCALE_MM;
    const s = graph.src[e] * NODE_FEATURES;
    const rMm = nf[s + NODE_R] * R_SCALE_MM;
    const zMm = nf[s + NODE_Z] * Z_SCALE_MM;
    out[o + EDGE_FEATURES] = clip10((dPhiRad / drMm) * 1000);
    out[o + EDGE_FEATURES + 1] = clip10((zMm - (rMm * dzMm) / drMm) / 200);
  }
  return out;
}

/** Edge inputs of every edge, written into `out` (length edges × edgeInputWidth, reused across events by the ONNX
 * engine: no fresh 16 MB per event), triplet columns included (computed straight into their columns). Equal to
 * edgeInputs(graph, 0, edges, opts, tripletFeatures(graph, opts.tripletPtGeV)), bit for bit. */
export function writeEdgeInputs(
  graph: Pick<Graph, 'nodeFeatures' | 'edgeFeatures' | 'src' | 'dst'>,
  opts: EdgeInputOptions,
  out: Float32Array,
): Float32Array {
  const width = edgeInputWidth(opts);
  const edges = graph.src.length;
  if (out.length !== edges * width) throw new Error(`writeEdgeInputs: out has ${out.length} values, ${edges * width} needed`);
  const ef = graph.edgeFeatures;
  const nf = graph.nodeFeatures;
  const src = graph.src;
  const derived = opts.derivedFeatures;
  for (let e = 0, o = 0, f = 0; e < edges; e++, o += width, f += EDGE_FEATURES) {
    for (let k = 0; k < EDGE_FEATURES; k++) out[o + k] = ef[f + k];
    if (!derived) continue;
    let drMm = ef[f + EDGE_DR] * R_SCALE_MM;
    if (Math.abs(drMm) < MIN_DR_MM) drMm = drMm < 0 ? -MIN_DR_MM : MIN_DR_MM;
    const dPhiRad = ef[f + EDGE_DPHI] * Math.PI;
    const dzMm = ef[f + EDGE_DZ] * Z_SCALE_MM;
    const s = src[e] * NODE_FEATURES;
    const rMm = nf[s + NODE_R] * R_SCALE_MM;
    const zMm = nf[s + NODE_Z] * Z_SCALE_MM;
    out[o + EDGE_FEATURES] = clip10((dPhiRad / drMm) * 1000);
    out[o + EDGE_FEATURES + 1] = clip10((zMm - (rMm * dzMm) / drMm) / 200);
  }
  if (opts.tripletFeatures) tripletFeatures(graph, opts.tripletPtGeV ?? 1, out, width, width - TRIPLET_FEATURES);
  return out;
}
