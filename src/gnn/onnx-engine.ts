// The ONNX Runtime engine: the Interaction Network exported to ONNX (onnx-export.ts) and run by onnxruntime-node's
// CPU execution provider. No tfjs on this path (importing it costs ~1 s of start-up): weights come from
// model-weights.ts, edge inputs from edge-inputs.ts and triplets.ts, all plain typed arrays.
//
// Threads without races: onnxruntime's CPU ScatterND with reduction "add" splits the edges over its intra-op threads
// without guarding rows that two threads add into (onnxruntime issue #18048: with 2 intra-op threads 2 of 5 runs on
// a real full event gave scores off by up to 0.28), so every kernel runs on one intra-op thread. With `threads` = K > 1
// the graph is exported with its edges cut into K parts (onnx-export.ts `edgeParts`), one branch each, and run by
// ORT's parallel executor on K inter-op threads: the edge networks (most of the work) of the parts run at once, and
// the parts' ScatterNDs add into one sum one after the other, so the scores are bit for bit those of one thread
// (test/gnn/onnx.test.ts). (Also tried: Gather + ReduceSum over padded per-node edge lists, race-free but 42 % more
// CPU in paired runs; ScatterElements, deterministic but ~8× the CPU in ORT 1.30.)
// On one thread the edges are cut into ONNX_EDGE_CHUNKS parts run one after the other (the same bits as one part):
// each part's [edges, hidden] intermediates then stay in cache between the edge network's kernels.
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import type { Graph } from '../graph/graph.ts';
import { edgeInputWidth, writeEdgeInputs } from './edge-inputs.ts';
import type { ModelWeights } from './model-weights.ts';
import { interactionNetworkToOnnx, ONNX_IO } from './onnx-export.ts';

const requireHere = createRequire(import.meta.url);
let ort: typeof Ort | undefined;

/** onnxruntime-node, or the one-line reason it cannot load (not installed, no binary for this platform). */
export function loadOnnxRuntime(): typeof Ort | string {
  if (ort) return ort;
  try {
    ort = requireHere('onnxruntime-node') as typeof Ort;
    return ort;
  } catch (err) {
    return `onnxruntime-node failed to load: ${String((err as Error)?.message ?? err)
      .split('\n')[0]
      .slice(0, 200)}`;
  }
}

/** Edge parts of a one-thread session (bench/gnn-ort.bench.ts measures 1 against this). */
export const ONNX_EDGE_CHUNKS = 8;

/** Milliseconds spent per part of one call (inputs: triplets and edge inputs; run: onnxruntime). */
export interface OnnxTimings {
  inputsMs: number;
  runMs: number;
}

/** An ONNX Runtime session of one model with reusable input buffers; classify() is one event at a time. */
export class OnnxEdgeClassifier {
  /** Timings of the last classify() call. */
  lastTimings: OnnxTimings = { inputsMs: 0, runMs: 0 };
  private index = new BigInt64Array(0);
  private attr = new Float32Array(0);
  private busy = false;

  private constructor(
    private readonly runtime: typeof Ort,
    private readonly session: Ort.InferenceSession,
    readonly weights: ModelWeights,
    /** Threads the session runs on (inter-op, one edge part each). */
    readonly threads: number,
  ) {}

  /** A session on the CPU execution provider from the model's weights (exported in memory), on `threads` threads
   * (default 1; see the top of this file for how more than one stays race-free); on one thread the edges run in
   * `edgeChunks` parts one after the other (default ONNX_EDGE_CHUNKS; the scores do not depend on it). */
  static async create(weights: ModelWeights, opts: { threads?: number; edgeChunks?: number } = {}): Promise<OnnxEdgeClassifier> {
    const runtime = loadOnnxRuntime();
    if (typeof runtime === 'string') throw new Error(runtime);
    const threads = Math.max(1, Math.floor(opts.threads ?? 1));
    const edgeParts = threads > 1 ? threads : Math.max(1, Math.floor(opts.edgeChunks ?? ONNX_EDGE_CHUNKS));
    const session = await runtime.InferenceSession.create(interactionNetworkToOnnx(weights, { edgeParts }), {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: threads,
      executionMode: threads > 1 ? 'parallel' : 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new OnnxEdgeClassifier(runtime, session, weights, threads);
  }

  /** Edge logits [edges] in graph edge order. */
  async logits(graph: Pick<Graph, 'nodeFeatures' | 'edgeFeatures' | 'src' | 'dst'>): Promise<Float32Array> {
    if (this.busy) throw new Error('OnnxEdgeClassifier: one graph at a time');
    this.busy = true;
    try {
      const t0 = performance.now();
      const { config } = this.weights;
      const edges = graph.src.length;
      const nodes = graph.nodeFeatures.length / 3;
      // Input buffers grow to the largest event seen and are reused (no fresh 16 MB of page faults per event).
      const width = edgeInputWidth(config);
      if (this.attr.length < edges * width) this.attr = new Float32Array(edges * width);
      const attr = writeEdgeInputs(graph, config, this.attr.subarray(0, edges * width));
      // int64 [2, E]: written as the low 32-bit words of a zeroed buffer (indices are non-negative, little-endian).
      if (this.index.length < 2 * edges) this.index = new BigInt64Array(2 * edges);
      const index = this.index.subarray(0, 2 * edges);
      const words = new Int32Array(index.buffer, index.byteOffset, 4 * edges);
      for (let e = 0; e < edges; e++) {
        words[2 * e] = graph.src[e];
        words[2 * (edges + e)] = graph.dst[e];
      }
      const t1 = performance.now();
      const T = this.runtime.Tensor;
      const out = await this.session.run({
        [ONNX_IO.nodes]: new T('float32', graph.nodeFeatures, [nodes, 3]),
        [ONNX_IO.edgeIndex]: new T('int64', index, [2, edges]),
        [ONNX_IO.edgeFeatures]: new T('float32', attr, [edges, width]),
      });
      const data = out[ONNX_IO.logits].data as Float32Array;
      this.lastTimings = { inputsMs: t1 - t0, runMs: performance.now() - t1 };
      return data;
    } finally {
      this.busy = false;
    }
  }

  /** Edge scores in [0, 1] (sigmoid of the logits), in graph edge order. */
  async classify(graph: Pick<Graph, 'nodeFeatures' | 'edgeFeatures' | 'src' | 'dst'>): Promise<Float32Array> {
    const z = await this.logits(graph);
    const out = new Float32Array(z.length);
    for (let e = 0; e < z.length; e++) out[e] = 1 / (1 + Math.exp(-z[e]));
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
