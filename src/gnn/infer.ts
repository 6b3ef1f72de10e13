// Inference: one score in [0, 1] per edge of a graph, in chunks of edges so that peak memory stays bounded on full
// events. Leaves no tensors behind (a test checks tf.memory().numTensors across 100 calls).
import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../graph/graph.ts';
import { trimGpuBufferPool } from './backend-common.ts';
import { disposeGraphTensors, forward, graphTensors, type InteractionNetwork } from './model.ts';

export interface InferOptions {
  /** Edges per chunk (default 262,144: 2^18 × 3·hidden floats of gathered inputs at most at a time). */
  chunkEdges?: number;
}

/** classifyEdges(graph, model) → Float32Array of edge scores (sigmoid of the logits), in graph edge order. Async
 * because reading back from a GPU backend is (dataSync is unavailable on WebGPU in Node). */
export async function classifyEdges(
  graph: Pick<Graph, 'nodeFeatures' | 'edgeFeatures' | 'src' | 'dst'>,
  model: InteractionNetwork,
  opts: InferOptions = {},
): Promise<Float32Array> {
  const gt = graphTensors(graph, opts.chunkEdges ?? 262_144, model.config);
  try {
    const scores = tf.tidy(() => tf.sigmoid(forward(model, gt, false)));
    const out = (await scores.data()) as Float32Array;
    scores.dispose();
    return out;
  } finally {
    disposeGraphTensors(gt);
    // Events differ in size: on webgpu each would leave its own set of pooled buffers behind (backend.ts).
    trimGpuBufferPool();
  }
}
