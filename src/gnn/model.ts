// The Interaction Network edge classifier (HEP.TrkX / Exa.TrkX): node and edge encoders, K message-passing
// iterations (edge update from its two nodes and itself; node update from the summed incoming and outgoing edge
// messages; residuals), and an edge classifier head returning one logit per edge. Weights are plain tf.Variables.
import * as tf from '@tensorflow/tfjs';
import { NODE_FEATURES, type Graph } from '../graph/graph.ts';
import { modelConfigSchema, type ModelConfig, type ModelConfigInput } from './config.ts';
import { dense, gatherPairSum, matMulNoBias, normRelu, segmentSum, type EdgeIndex } from './ops.ts';
import { makeRng } from './rng.ts';
import { edgeInputs, edgeInputWidth, type EdgeInputOptions } from './edge-inputs.ts';
import { MLP_NAMES, type MlpName } from './model-format.ts';
import { tripletFeatures } from './triplets.ts';

export interface InteractionNetwork {
  config: ModelConfig;
  /** Per MLP, its layers' weights [in, out] and biases [out]. */
  mlps: Record<MlpName, { w: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1> }[]>;
}

/** Layer widths of each MLP: input, hidden…, output. */
export function mlpSizes(input: ModelConfigInput): Record<MlpName, number[]> {
  const config = modelConfigSchema.parse(input);
  const h = config.hidden;
  const widths = (input: number, output: number): number[] => [input, ...Array<number>(config.mlpLayers - 1).fill(h), output];
  return {
    nodeEncoder: widths(NODE_FEATURES, h),
    edgeEncoder: widths(edgeInputWidth(config), h),
    edgeUpdate: widths(3 * h, h),
    nodeUpdate: widths(3 * h, h),
    classifier: widths(3 * h, 1),
  };
}

/** Weights + biases of an MLP with these layer widths. E.g. the 6,448-parameter IN of DeZoort et al. (2021):
 * mlpParamCount([10, 40, 40, 4]) + mlpParamCount([7, 40, 40, 3]) + mlpParamCount([10, 40, 40, 1]). */
export function mlpParamCount(sizes: number[]): number {
  let n = 0;
  for (let i = 0; i + 1 < sizes.length; i++) n += sizes[i] * sizes[i + 1] + sizes[i + 1];
  return n;
}

export function paramCount(config: ModelConfigInput): number {
  const sizes = mlpSizes(config);
  return MLP_NAMES.reduce((n, name) => n + mlpParamCount(sizes[name]), 0);
}

/** A fresh network, Glorot-uniform weights and zero biases from `seed` (same seed, same weights on any backend). */
let modelsCreated = 0;

export function createModel(input: ModelConfigInput, seed: number): InteractionNetwork {
  const config: ModelConfig = modelConfigSchema.parse(input);
  const rng = makeRng(seed);
  // tfjs variable names are global: prefix them per instance so several models can coexist.
  const prefix = `in${modelsCreated++}`;
  const sizes = mlpSizes(config);
  const mlps = {} as InteractionNetwork['mlps'];
  for (const name of MLP_NAMES) {
    const s = sizes[name];
    mlps[name] = [];
    for (let i = 0; i + 1 < s.length; i++) {
      const limit = Math.sqrt(6 / (s[i] + s[i + 1]));
      const w = new Float32Array(s[i] * s[i + 1]);
      for (let k = 0; k < w.length; k++) w[k] = (2 * rng() - 1) * limit;
      mlps[name].push({
        w: tf.variable(tf.tensor2d(w, [s[i], s[i + 1]]), true, `${prefix}/${name}/${i}/w`),
        b: tf.variable(tf.zeros([s[i + 1]]), true, `${prefix}/${name}/${i}/b`) as tf.Variable<tf.Rank.R1>,
      });
    }
  }
  return { config, mlps };
}

/** All variables in save order (per MLP: w0, b0, w1, b1, …). */
export function modelVariables(model: InteractionNetwork): tf.Variable[] {
  return MLP_NAMES.flatMap((name) => model.mlps[name].flatMap((l) => [l.w, l.b] as tf.Variable[]));
}

export function disposeModel(model: InteractionNetwork): void {
  for (const v of modelVariables(model)) v.dispose();
}

/** Every layer is dense → layer norm (no learned scale) → ReLU (as in Exa.TrkX), so node and edge latents and
 * their updates stay O(1) whatever a node's degree; only the classifier's last layer is plain dense (it gives the logit). */
function mlp(x: tf.Tensor2D, layers: InteractionNetwork['mlps'][MlpName], logitOut = false, first = 0): tf.Tensor2D {
  // first = 1: x is already layer 0's pre-activation (see edgeMlp).
  let out = x;
  for (let i = 0; i < layers.length; i++) {
    if (i >= first) out = dense(out, layers[i].w, layers[i].b);
    if (!(logitOut && i === layers.length - 1)) out = normRelu(out);
  }
  return out;
}

/** Node-level halves of an edge MLP's first layer: the first layer on [h_src, h_dst, e] equals
 * h_src·W_s + h_dst·W_d + e·W_e + b, and h·W_s is computed once per node instead of once per edge. */
function nodeProjections(h: tf.Tensor2D, layers: InteractionNetwork['mlps'][MlpName]): [tf.Tensor2D, tf.Tensor2D] {
  const hidden = h.shape[1];
  const w = layers[0].w;
  const out = w.shape[1];
  return [
    matMulNoBias(h, tf.slice(w, [0, 0], [hidden, out]) as tf.Tensor2D),
    matMulNoBias(h, tf.slice(w, [hidden, 0], [hidden, out]) as tf.Tensor2D),
  ];
}

/** The edge MLP on one chunk, given nodeProjections of the current node latents. */
function edgeMlp(
  c: GraphTensors['chunks'][number],
  e: tf.Tensor2D,
  proj: [tf.Tensor2D, tf.Tensor2D],
  layers: InteractionNetwork['mlps'][MlpName],
  logitOut = false,
): tf.Tensor2D {
  const hidden = e.shape[1];
  const w = layers[0].w;
  const eW = tf.slice(w, [2 * hidden, 0], [hidden, w.shape[1]]) as tf.Tensor2D;
  const first = tf.add(gatherPairSum(proj[0], c.src, proj[1], c.dst), dense(e, eW, layers[0].b)) as tf.Tensor2D;
  return mlp(first, layers, logitOut, 1);
}

export { DERIVED_FEATURES, edgeInputs, edgeInputWidth, type EdgeInputOptions } from './edge-inputs.ts';

/** A graph as tensors, its edges cut into chunks so that no edge-wise intermediate exceeds chunk × 3·hidden. */
export interface GraphTensors {
  nodes: number;
  edges: number;
  x: tf.Tensor2D;
  chunks: { features: tf.Tensor2D; src: EdgeIndex; dst: EdgeIndex }[];
}

export function graphTensors(
  graph: Pick<Graph, 'nodeFeatures' | 'edgeFeatures' | 'src' | 'dst'>,
  chunkEdges = Infinity,
  inputs: EdgeInputOptions = { derivedFeatures: true, tripletFeatures: false },
): GraphTensors {
  const width = edgeInputWidth(inputs);
  // Triplet inputs need the whole graph's adjacency: computed once, then cut with the chunks.
  const triplets = inputs.tripletFeatures ? tripletFeatures(graph, inputs.tripletPtGeV ?? 1) : undefined;
  const nodes = graph.nodeFeatures.length / NODE_FEATURES;
  const edges = graph.src.length;
  const chunks: GraphTensors['chunks'] = [];
  const step = Math.max(1, Math.min(edges, chunkEdges));
  for (let a = 0; a < edges; a += step) {
    const b = Math.min(edges, a + step);
    const src = new Int32Array(graph.src.subarray(a, b));
    const dst = new Int32Array(graph.dst.subarray(a, b));
    chunks.push({
      features: tf.tensor2d(edgeInputs(graph, a, b, inputs, triplets), [b - a, width]),
      src: { index: tf.tensor1d(src, 'int32'), index2d: tf.tensor2d(src, [b - a, 1], 'int32'), js: src },
      dst: { index: tf.tensor1d(dst, 'int32'), index2d: tf.tensor2d(dst, [b - a, 1], 'int32'), js: dst },
    });
  }
  return { nodes, edges, x: tf.tensor2d(graph.nodeFeatures, [nodes, NODE_FEATURES]), chunks };
}

export function disposeGraphTensors(g: GraphTensors): void {
  g.x.dispose();
  for (const c of g.chunks) tf.dispose([c.features, c.src.index, c.src.index2d, c.dst.index, c.dst.index2d]);
}

/** Edge logits [edges]. Differentiable w.r.t. the model's variables (every op has a gradient on every backend).
 * Edge-wise work runs chunk by chunk; node aggregation sums the chunks' scatter-adds. With `training` false each
 * chunk runs in its own tf.tidy and superseded latents are freed at once, so peak memory follows the chunk size. */
export function forward(model: InteractionNetwork, g: GraphTensors, training = true): tf.Tensor1D {
  const m = model.mlps;
  const run = <T extends tf.TensorContainer>(f: () => T): T => (training ? f() : tf.tidy(f));
  const drop = (t: tf.Tensor): void => {
    if (!training) t.dispose();
  };
  let h = run(() => mlp(g.x, m.nodeEncoder));
  let e = g.chunks.map((c) => run(() => mlp(c.features, m.edgeEncoder)));
  for (let k = 0; k < model.config.iterations; k++) {
    const hNow = h;
    const ePrev = e;
    const proj = run(() => nodeProjections(hNow, m.edgeUpdate));
    e = g.chunks.map((c, i) => run(() => tf.add(ePrev[i], edgeMlp(c, ePrev[i], proj, m.edgeUpdate))));
    [...ePrev, ...proj].forEach(drop);
    let incoming: tf.Tensor2D = run(() => tf.zeros([g.nodes, model.config.hidden]));
    let outgoing: tf.Tensor2D = run(() => tf.zeros([g.nodes, model.config.hidden]));
    g.chunks.forEach((c, i) => {
      const [inPrev, outPrev] = [incoming, outgoing];
      incoming = run(() => tf.add(inPrev, segmentSum(e[i], c.dst, g.nodes)));
      outgoing = run(() => tf.add(outPrev, segmentSum(e[i], c.src, g.nodes)));
      drop(inPrev);
      drop(outPrev);
    });
    const [inc, out] = [incoming, outgoing];
    h = run(() => tf.add(hNow, mlp(tf.concat([hNow, inc, out], 1), m.nodeUpdate)));
    [hNow, inc, out].forEach(drop);
  }
  const proj = run(() => nodeProjections(h, m.classifier));
  const logits = g.chunks.map((c, i) => run(() => edgeMlp(c, e[i], proj, m.classifier, true).reshape([-1]) as tf.Tensor1D));
  [h, ...proj, ...e].forEach(drop);
  if (logits.length === 0) return tf.zeros([0]);
  if (logits.length === 1) return logits[0];
  const all = tf.concat(logits);
  logits.forEach(drop);
  return all;
}
