// ONNX export of an Interaction Network from its tfjs weights: the same forward pass as model.ts (node-side
// projections before the gathers, aggregation by ScatterND with reduction add, layer norm without learned scale),
// as a standard opset-17 graph that onnxruntime (Node, Python, C++) and ACTS's ONNX edge classifier can run.
// Inputs follow ACTS's order: node features, edge index [2, E] (int64), edge features; one output, the logits.
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../core/fs.ts';
import { NODE_FEATURES } from '../graph/graph.ts';
import { edgeInputWidth } from './edge-inputs.ts';
import { MLP_NAMES, readModelWeights, type LayerWeights as Layer, type ModelWeights } from './model-weights.ts';
import {
  encodeOnnxModel,
  ONNX_FLOAT,
  ONNX_INT64,
  type OnnxAttribute,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
} from './onnx-proto.ts';

export const ONNX_OPSET = 17;
/** IR version 8 goes with opset 17 (ONNX 1.12–1.13); older readers accept it. */
const ONNX_IR_VERSION = 8;
/** The graph's input and output names (ACTS reads inputs by position: nodes, edge index, edge features). */
export const ONNX_IO = { nodes: 'x', edgeIndex: 'edge_index', edgeFeatures: 'edge_attr', logits: 'logits' } as const;
const LN_EPSILON = 1e-5;

const f32 = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
const i64 = (values: number[]): Uint8Array => new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);

/** Builds nodes and initialisers with unique names. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private count = 0;

  /** A float initialiser; asking again for a name returns the one made first (weights shared across iterations). */
  constant(name: string, data: Float32Array, dims: number[]): string {
    if (this.initializers.some((t) => t.name === name)) return name;
    this.initializers.push({ name, dataType: ONNX_FLOAT, dims, raw: f32(data) });
    return name;
  }

  /** An int64 initialiser; asking again for a name returns the one made first. */
  int64(name: string, values: number[], dims: number[] = [values.length]): string {
    if (this.initializers.some((t) => t.name === name)) return name;
    this.initializers.push({ name, dataType: ONNX_INT64, dims, raw: i64(values) });
    return name;
  }

  op(op: string, inputs: string[], attributes?: OnnxAttribute[], label = op.toLowerCase()): string {
    const out = `${label}_${this.count++}`;
    this.nodes.push({ op, inputs, outputs: [out], name: out, attributes });
    return out;
  }
}

/** How the exported graph writes its layer norms (no learned scale or bias): 'instanceNorm' (default; the shipped
 * file) as InstanceNormalization over [rows, 1, hidden], 'layerNorm' as LayerNormalization (the graph exported
 * before; ~1e-5 apart in score). Both standard ONNX. */
export type OnnxNorm = 'instanceNorm' | 'layerNorm';

/** Rows [from, from + rows) of a row-major [inputs, outputs] weight matrix. */
const weightRows = (l: Layer, from: number, rows: number): Float32Array => l.w.slice(from * l.outputs, (from + rows) * l.outputs);

/** `parts` slices of the edge inputs along the edge axis, [E·p/parts, E·(p+1)/parts) each. */
function sliceEdges(g: GraphBuilder, parts: number): { index: string; attr: string }[] {
  const { edgeIndex, edgeFeatures } = ONNX_IO;
  const edgeCount = g.op(
    'Shape',
    [edgeFeatures],
    [
      { name: 'start', i: 0 },
      { name: 'end', i: 1 },
    ],
    'edge_count',
  );
  const bound = (p: number): string =>
    p === 0
      ? g.int64('part_start', [0])
      : g.op('Div', [g.op('Mul', [edgeCount, g.int64(`part_mul_${p}`, [p])]), g.int64('part_div', [parts])], undefined, 'part_bound');
  const bounds = Array.from({ length: parts + 1 }, (_, p) => bound(p));
  const axis = (a: number): string => g.int64(`slice_axis_${a}`, [a]);
  const [axisIndex, axisAttr] = [axis(1), axis(0)];
  return Array.from({ length: parts }, (_, p) => ({
    index: g.op('Slice', [edgeIndex, bounds[p], bounds[p + 1], axisIndex], undefined, 'part_index'),
    attr: g.op('Slice', [edgeFeatures, bounds[p], bounds[p + 1], axisAttr], undefined, 'part_attr'),
  }));
}

/** The ONNX graph of `model` (its current weights). Deterministic: the same weights give the same bytes. */
export function interactionNetworkToOnnx(
  model: ModelWeights,
  opts: { doc?: string; metadata?: [string, string][]; edgeParts?: number; norm?: OnnxNorm } = {},
): Uint8Array {
  const { config, mlps } = model;
  const h = config.hidden;
  const g = new GraphBuilder();
  const norm = opts.norm ?? 'instanceNorm';
  const normWidth = norm === 'layerNorm' ? h : 1; // per value, or per (one) channel
  const ones = g.constant('ln_scale', new Float32Array(normWidth).fill(1), [normWidth]);
  const zeros = g.constant('ln_bias', new Float32Array(normWidth), [normWidth]);
  const epsilon: OnnxAttribute = { name: 'epsilon', f: LN_EPSILON };
  /** ReLU(layer norm(x)) of a pre-activation [rows, h], the norm without learned scale or bias. 'instanceNorm': x as
   * [rows, 1, h] through InstanceNormalization (per row and channel over the h values: the same mean and variance),
   * whose ORT CPU kernel costs less than its LayerNormalization here (bench/gnn-ort.bench.ts). */
  const normRelu = (x: string): string => {
    if (norm === 'layerNorm') return g.op('Relu', [g.op('LayerNormalization', [x, ones, zeros], [{ name: 'axis', i: -1 }, epsilon])]);
    const rows1h = g.op('Reshape', [x, g.int64('rows_1_h', [0, 1, h])], undefined, 'rows_1_h');
    const normed = g.op('InstanceNormalization', [rows1h, ones, zeros], [epsilon]);
    return g.op('Relu', [g.op('Reshape', [normed, g.int64('rows_h', [0, h])], undefined, 'rows_h')]);
  };
  const dense = (x: string, l: Layer, name: string): string =>
    g.op('Gemm', [x, g.constant(`${name}_w`, l.w, [l.inputs, l.outputs]), g.constant(`${name}_b`, l.b, [l.outputs])]);
  /** Layers [first, …) of an MLP: dense → layer norm → ReLU, except a logit head's last layer (plain dense). */
  const mlp = (x: string, layers: Layer[], name: string, logitOut = false, first = 0): string => {
    let out = x;
    for (let i = 0; i < layers.length; i++) {
      if (i >= first) out = dense(out, layers[i], `${name}_${i}`);
      if (!(logitOut && i === layers.length - 1)) out = normRelu(out);
    }
    return out;
  };

  const { nodes: x, edgeIndex, edgeFeatures } = ONNX_IO;
  const parts = opts.edgeParts ?? 1;
  const axis0: OnnxAttribute[] = [{ name: 'axis', i: 0 }];
  // Edge ranges [E·p/parts, E·(p+1)/parts) of the inputs, one branch of the graph each (only when parts > 1).
  const slices = parts === 1 ? [{ index: edgeIndex, attr: edgeFeatures }] : sliceEdges(g, parts);
  const ends = slices.map(({ index }) => {
    const src = g.op('Gather', [index, g.int64('row_src', [0], [])], axis0, 'src');
    const dst = g.op('Gather', [index, g.int64('row_dst', [1], [])], axis0, 'dst');
    return { src, dst };
  });
  const axis1 = g.int64('axis_1', [1]);
  const parts2d = ends.map(({ src, dst }) => ({
    src2d: g.op('Unsqueeze', [src, axis1], undefined, 'src_2d'),
    dst2d: g.op('Unsqueeze', [dst, axis1], undefined, 'dst_2d'),
  }));
  // Zeros [nodes, hidden], the start of every aggregation.
  const nodeCount = g.op(
    'Shape',
    [x],
    [
      { name: 'start', i: 0 },
      { name: 'end', i: 1 },
    ],
    'node_count',
  );
  const aggShape = g.op('Concat', [nodeCount, g.int64('hidden', [h])], [{ name: 'axis', i: 0 }], 'agg_shape');
  const zeroValue: OnnxTensor = { name: 'zero', dataType: ONNX_FLOAT, dims: [1], raw: f32(new Float32Array(1)) };
  const aggZeros = g.op('ConstantOfShape', [aggShape], [{ name: 'value', t: zeroValue }], 'agg_zeros');

  /** An edge MLP on [h_src, h_dst, e], per edge part: its first layer is (h·W_s + b) gathered by src + h·W_d gathered
   * by dst + e·W_e, the node products computed once per node and the sum of the two gathers fed to Gemm as its C
   * input (one pass over the edges fewer than adding it afterwards). */
  const edgeMlp = (hNow: string, es: string[], layers: Layer[], name: string, logitOut = false): string[] => {
    const l0 = layers[0];
    const matMul = (w: Float32Array, wName: string): string => g.op('MatMul', [hNow, g.constant(wName, w, [h, l0.outputs])]);
    const ps = g.op(
      'Add',
      [matMul(weightRows(l0, 0, h), `${name}_0_ws`), g.constant(`${name}_0_b`, l0.b, [l0.outputs])],
      undefined,
      `${name}_ps`,
    );
    const pd = matMul(weightRows(l0, h, h), `${name}_0_wd`);
    return es.map((e, p) => {
      const fromNodes = g.op('Add', [g.op('Gather', [ps, ends[p].src], axis0), g.op('Gather', [pd, ends[p].dst], axis0)]);
      const first = g.op('Gemm', [e, g.constant(`${name}_0_we`, weightRows(l0, 2 * h, h), [h, l0.outputs]), fromNodes]);
      return mlp(first, layers, name, logitOut, 1);
    });
  };

  let hNode = mlp(x, mlps.nodeEncoder, 'node_encoder');
  let es = slices.map(({ attr }) => mlp(attr, mlps.edgeEncoder, 'edge_encoder'));
  for (let k = 0; k < config.iterations; k++) {
    // The update networks are shared across iterations: same initialiser names, stored once.
    const updates = edgeMlp(hNode, es, mlps.edgeUpdate, 'edge_update');
    es = es.map((e, p) => g.op('Add', [e, updates[p]], undefined, `e_${k + 1}`));
    // Parts are added one after the other into one sum: the same additions in the same order as one part (and
    // ScatterND's reduction must run on one thread, see onnx-engine.ts).
    const scatter = (index: 'src2d' | 'dst2d'): string =>
      es.reduce((acc, e, p) => g.op('ScatterND', [acc, parts2d[p][index], e], [{ name: 'reduction', s: 'add' }]), aggZeros);
    const incoming = scatter('dst2d');
    const outgoing = scatter('src2d');
    const cat = g.op('Concat', [hNode, incoming, outgoing], [{ name: 'axis', i: 1 }]);
    hNode = g.op('Add', [hNode, mlp(cat, mlps.nodeUpdate, 'node_update')], undefined, `h_${k + 1}`);
  }
  const logitParts = edgeMlp(hNode, es, mlps.classifier, 'classifier', true);
  const logits2d = parts === 1 ? logitParts[0] : g.op('Concat', logitParts, axis0, 'logits_2d');
  g.nodes.push({ op: 'Reshape', inputs: [logits2d, g.int64('flat', [-1])], outputs: [ONNX_IO.logits], name: 'logits' });

  const modelBytes: OnnxModel = {
    irVersion: ONNX_IR_VERSION,
    opset: ONNX_OPSET,
    producerName: 'trackml-gnn',
    // The graph's layout version: 2 since the layer norms are InstanceNormalization (1: LayerNormalization).
    producerVersion: norm === 'layerNorm' ? '1' : '2',
    doc: opts.doc ?? 'Interaction Network edge classifier (trackml-gnn); logits per edge, score = sigmoid(logit)',
    graphName: 'interaction_network',
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      {
        name: x,
        dataType: ONNX_FLOAT,
        shape: ['num_nodes', NODE_FEATURES],
        doc: 'node features r/1000 mm, phi/pi, z/1000 mm (src/graph/graph.ts)',
      },
      { name: edgeIndex, dataType: ONNX_INT64, shape: [2, 'num_edges'], doc: 'row 0: inner (source) node, row 1: outer (target) node' },
      {
        name: edgeFeatures,
        dataType: ONNX_FLOAT,
        shape: ['num_edges', edgeInputWidth(config)],
        doc: 'edge inputs (src/gnn/model.ts edgeInputs)',
      },
    ],
    outputs: [{ name: ONNX_IO.logits, dataType: ONNX_FLOAT, shape: ['num_edges'], doc: 'edge logit; score = sigmoid(logit)' }],
    metadata: opts.metadata ?? [],
  };
  return encodeOnnxModel(modelBytes);
}

/** The model config as the ONNX file records it: tripletPtGeV (the triplet inputs' pT scale, computed outside the
 * network) only where it is not the default 1 GeV, so files exported before it existed keep their bytes. */
export function onnxConfig(config: ModelWeights['config']): Record<string, unknown> {
  const { tripletPtGeV, ...rest } = config;
  return config.tripletFeatures && tripletPtGeV !== 1 ? { ...rest, tripletPtGeV } : rest;
}

/** SHA-256 of a model's config and weights (what the ONNX file is made from), hex. */
export function weightsHash(model: ModelWeights): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(onnxConfig(model.config)));
  for (const name of MLP_NAMES)
    for (const l of model.mlps[name])
      hash
        .update(new Uint8Array(l.w.buffer, l.w.byteOffset, l.w.byteLength))
        .update(new Uint8Array(l.b.buffer, l.b.byteOffset, l.b.byteLength));
  return hash.digest('hex');
}

/** Names of the edge inputs in order (the `edge_attr` columns), for the file's metadata and docs. */
export function edgeInputNames(config: Pick<ModelWeights['config'], 'derivedFeatures' | 'tripletFeatures'>): string[] {
  return [
    'dr/1000mm',
    'dphi/pi',
    'dz/1000mm',
    'deta',
    'dR',
    ...(config.derivedFeatures ? ['phi_slope_rad_per_mm*1000 (clip ±10)', 'z0_mm/200 (clip ±10)'] : []),
    ...(config.tripletFeatures
      ? ['dtheta_in/0.01rad', 'curvature_in*1667mm', 'dtheta_out/0.01rad', 'curvature_out*1667mm', 'has_in', 'has_out']
      : []),
  ];
}

/** `npm run export-onnx`: model.onnx from a model directory's model.json + weights.bin (byte-for-byte reproducible:
 * the metadata holds the weights' hash, no date). Returns the file's bytes and the weights' hash. */
export function exportOnnxFile(modelDir: string, outputFile: string): { bytes: Uint8Array; weightsSha256: string } {
  const { weights, meta } = readModelWeights(modelDir);
  const weightsSha256 = weightsHash(weights);
  const metadata: [string, string][] = [
    ['weights_sha256', weightsSha256],
    ['model_config', JSON.stringify(onnxConfig(weights.config))],
    ['edge_attr_columns', edgeInputNames(weights.config).join(', ')],
    ['x_columns', 'r/1000mm, phi/pi, z/1000mm'],
    ['layer_norm', `InstanceNormalization over [rows, 1, ${weights.config.hidden}], scale 1, bias 0, epsilon ${LN_EPSILON}`],
    ['score', 'sigmoid(logits)'],
    ...(typeof meta.threshold === 'number' ? ([['threshold', String(meta.threshold)]] as [string, string][]) : []),
  ];
  const bytes = interactionNetworkToOnnx(weights, { metadata });
  writeFileAtomic(outputFile, bytes);
  return { bytes, weightsSha256 };
}
