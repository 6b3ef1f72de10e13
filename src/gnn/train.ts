// Training loop of the Interaction Network: weighted BCE on edge labels, Adam with an exponential learning-rate
// schedule, per-epoch validation (loss, AUC, efficiency and purity at the threshold), early stopping, resume.
// No I/O here: the caller persists checkpoints in onEpoch and passes a saved TrainState back to resume.
import * as tf from '@tensorflow/tfjs';
import { EDGE_FEATURES, NODE_FEATURES, type Graph } from '../graph/graph.ts';
import type { TrainConfig } from './config.ts';
import { trimGpuBufferPool } from './backend.ts';
import { classifyEdges } from './infer.ts';
import { scoreMetrics, sumScoreMetrics, type ScoreMetrics } from './metrics.ts';
import { createModel, disposeGraphTensors, forward, graphTensors, modelVariables, type InteractionNetwork } from './model.ts';
import { makeRng, shuffle } from './rng.ts';

/** Mean over edges of w·BCE(sigmoid(z), y), w = positiveWeight for positives and 1 otherwise (times `mask`, 0 to
 * leave an edge out), normalised by Σw. softplus written as relu(z) + log1p(exp(−|z|)) so it is stable and every op
 * has a gradient on every backend. */
export function weightedBce(logits: tf.Tensor1D, y: tf.Tensor1D, positiveWeight: number, mask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const softplus = (z: tf.Tensor): tf.Tensor => tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    const lossPos = softplus(tf.neg(logits)); // −log σ(z)
    const lossNeg = softplus(logits); // −log(1 − σ(z))
    const classWeight = tf.add(tf.mul(y, positiveWeight - 1), 1);
    const w = mask ? tf.mul(classWeight, mask) : classWeight;
    const perEdge = tf.mul(w, tf.add(tf.mul(y, lossPos), tf.mul(tf.sub(1, y), lossNeg)));
    return tf.div(tf.sum(perEdge), tf.sum(w)) as tf.Scalar;
  });
}

/** Adam (Kingma & Ba) with its moments as plain arrays, so a checkpoint can restore it exactly. */
export class Adam {
  step = 0;
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  constructor(
    readonly variables: tf.Variable[],
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    this.m = variables.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = variables.map((x) => tf.variable(tf.zerosLike(x), false));
  }

  /** One update; a missing gradient (a variable the loss does not use, e.g. updates when K = 0) is skipped. */
  apply(grads: (tf.Tensor | null | undefined)[], learningRate: number): void {
    this.step++;
    const c1 = 1 - this.beta1 ** this.step;
    const c2 = 1 - this.beta2 ** this.step;
    tf.tidy(() => {
      this.variables.forEach((x, i) => {
        const g = grads[i];
        if (!g) return;
        this.m[i].assign(tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1)));
        this.v[i].assign(tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const update = tf.div(tf.div(this.m[i], c1), tf.add(tf.sqrt(tf.div(this.v[i], c2)), this.epsilon));
        x.assign(tf.sub(x, tf.mul(update, learningRate)));
      });
    });
  }

  dispose(): void {
    [...this.m, ...this.v].forEach((t) => t.dispose());
  }
}

/** A training subgraph: a φ sector of one graph (edges whose inner hit lies in the sector, with both end nodes). */
export interface TrainSample {
  eventId: string;
  nodeFeatures: Float32Array;
  edgeFeatures: Float32Array;
  src: Uint32Array;
  dst: Uint32Array;
  /** Training target per edge (see trainingTargets). */
  y: Uint8Array;
  /** Loss weight mask per edge: 0 leaves the edge out of the loss. */
  mask: Float32Array;
}

/** Targets for training at `targetMinPtGeV` (the Exa.TrkX recipe): positives are true edges of particles above it,
 * true edges of slower particles are left out of the loss (neither target nor fake), the rest are negatives.
 * With 0, every true edge is a positive. */
export function trainingTargets(graph: Graph, targetMinPtGeV: number): { y: Uint8Array; mask: Float32Array } {
  if (!graph.y) throw new Error(`${graph.eventId}: graph has no edge labels; training needs truth`);
  const y = new Uint8Array(graph.y);
  const mask = new Float32Array(y.length).fill(1);
  if (targetMinPtGeV > 0) {
    const pt = graph.truth?.ptGeV;
    if (!pt) throw new Error(`${graph.eventId}: graph has no truth pT; targetMinPtGeV needs it`);
    for (let e = 0; e < y.length; e++)
      if (y[e] === 1 && !(pt[graph.src[e]] > targetMinPtGeV)) {
        y[e] = 0;
        mask[e] = 0;
      }
  }
  return { y, mask };
}

/** Cuts `graph` into φ sectors (by its edges' inner hit) of at most about `maxEdges` edges each. */
export function phiSectors(graph: Graph, maxEdges: number, targetMinPtGeV = 0): TrainSample[] {
  const targets = trainingTargets(graph, targetMinPtGeV);
  const nEdges = graph.src.length;
  const sectors = Math.max(1, Math.ceil(nEdges / maxEdges));
  const phiOf = (node: number): number => graph.nodeFeatures[node * NODE_FEATURES + 1]; // φ/π in [−1, 1]
  const sectorOf = (node: number): number => Math.min(sectors - 1, Math.floor(((phiOf(node) + 1) / 2) * sectors));
  const edgesOf: number[][] = Array.from({ length: sectors }, () => []);
  for (let e = 0; e < nEdges; e++) edgesOf[sectorOf(graph.src[e])].push(e);
  const out: TrainSample[] = [];
  const local = new Int32Array(graph.hitId.length).fill(-1);
  for (const edges of edgesOf) {
    if (edges.length === 0) continue;
    const nodes: number[] = [];
    const localOf = (n: number): number => {
      if (local[n] < 0) {
        local[n] = nodes.length;
        nodes.push(n);
      }
      return local[n];
    };
    const src = new Uint32Array(edges.length);
    const dst = new Uint32Array(edges.length);
    const y = new Uint8Array(edges.length);
    const mask = new Float32Array(edges.length);
    const edgeFeatures = new Float32Array(edges.length * EDGE_FEATURES);
    edges.forEach((e, k) => {
      src[k] = localOf(graph.src[e]);
      dst[k] = localOf(graph.dst[e]);
      y[k] = targets.y[e];
      mask[k] = targets.mask[e];
      edgeFeatures.set(graph.edgeFeatures.subarray(e * EDGE_FEATURES, (e + 1) * EDGE_FEATURES), k * EDGE_FEATURES);
    });
    const nodeFeatures = new Float32Array(nodes.length * NODE_FEATURES);
    nodes.forEach((n, k) => {
      nodeFeatures.set(graph.nodeFeatures.subarray(n * NODE_FEATURES, (n + 1) * NODE_FEATURES), k * NODE_FEATURES);
      local[n] = -1;
    });
    out.push({ eventId: graph.eventId, nodeFeatures, edgeFeatures, src, dst, y, mask });
  }
  return out;
}

export interface EpochRecord {
  epoch: number;
  learningRate: number;
  trainLoss: number;
  valLoss: number;
  /** Validation metrics summed over the validation graphs' edges (AUC: mean over graphs). */
  val: ScoreMetrics;
  seconds: number;
  edgesPerSecond: number;
}

/** Everything needed to continue a run: weights, optimizer moments, epoch count and history. */
export interface TrainState {
  model: InteractionNetwork;
  adam: Adam;
  epoch: number;
  bestValLoss: number;
  epochsSinceBest: number;
  history: EpochRecord[];
  positiveWeight: number;
}

export interface TrainHooks {
  /** After each step (for a progress bar). */
  onStep?: (done: number, total: number, loss: number) => void;
  /** After each epoch, with whether it is the best so far (persist checkpoints here). */
  onEpoch?: (state: TrainState, record: EpochRecord, isBest: boolean) => Promise<void> | void;
  /** A state to continue from (a resumed run); its weights must match config.model. */
  resume?: TrainState;
}

/** Fresh state: weights from config.seed (or `model`'s, for fine-tuning), zero Adam moments, class weight from the
 * training labels. */
export function initialState(config: TrainConfig, train: readonly Graph[], start?: InteractionNetwork): TrainState {
  let pos = 0;
  let all = 0;
  for (const g of train) {
    const t = trainingTargets(g, config.targetMinPtGeV);
    for (let e = 0; e < t.y.length; e++) {
      pos += t.y[e];
      all += t.mask[e];
    }
  }
  const model = start ?? createModel(config.model, config.seed);
  return {
    model,
    adam: new Adam(modelVariables(model)),
    epoch: 0,
    bestValLoss: Infinity,
    epochsSinceBest: 0,
    history: [],
    positiveWeight: config.positiveWeight ?? Math.max(1, (all - pos) / Math.max(pos, 1)),
  };
}

async function validate(state: TrainState, config: TrainConfig, val: readonly Graph[]): Promise<{ loss: number; metrics: ScoreMetrics }> {
  let lossSum = 0;
  const perGraph: ScoreMetrics[] = [];
  for (const g of val) {
    const scores = await classifyEdges(g, state.model, { chunkEdges: config.inferenceChunkEdges });
    perGraph.push(scoreMetrics(g, scores, config.threshold));
    // The training loss (same targets and mask) from the scores, clamped, rather than a second forward pass.
    const t = trainingTargets(g, config.targetMinPtGeV);
    const w = state.positiveWeight;
    let l = 0;
    let wsum = 0;
    for (let e = 0; e < scores.length; e++) {
      if (t.mask[e] === 0) continue;
      const p = Math.min(Math.max(scores[e], 1e-7), 1 - 1e-7);
      if (t.y[e] === 1) {
        l += -w * Math.log(p);
        wsum += w;
      } else {
        l += -Math.log(1 - p);
        wsum += 1;
      }
    }
    lossSum += l / Math.max(wsum, 1e-9);
  }
  return { loss: lossSum / Math.max(val.length, 1), metrics: sumScoreMetrics(perGraph) };
}

/** Trains until config.epochs, early stopping (patience) or config.maxMinutes; returns the final state (the best
 * weights are whatever onEpoch saved when isBest was true). */
export async function trainModel(
  config: TrainConfig,
  train: readonly Graph[],
  val: readonly Graph[],
  hooks: TrainHooks = {},
): Promise<TrainState> {
  const state = hooks.resume ?? initialState(config, train);
  const samples = train.flatMap((g) => phiSectors(g, config.maxEdgesPerStep, config.targetMinPtGeV));
  const variables = modelVariables(state.model);
  const t0 = performance.now();
  while (state.epoch < config.epochs && state.epochsSinceBest < config.patience) {
    const epoch = state.epoch + 1;
    // The step order depends only on (seed, epoch): a resumed run sees the same sequence as an unbroken one.
    const rng = makeRng((config.seed ^ Math.imul(epoch, 0x9e3779b1)) >>> 0);
    const order = shuffle(
      samples.map((_, i) => i),
      rng,
    );
    const steps =
      config.stepsPerEpoch === undefined ? order : Array.from({ length: config.stepsPerEpoch }, (_, k) => order[k % order.length]);
    const learningRate = config.learningRate * config.lrDecay ** (epoch - 1);
    const tEpoch = performance.now();
    let lossSum = 0;
    let edgesSeen = 0;
    for (let k = 0; k < steps.length; k++) {
      const s = samples[steps[k]];
      const gt = graphTensors(s, Infinity, state.model.config);
      const y = tf.tensor1d(s.y, 'float32');
      const mask = tf.tensor1d(s.mask);
      const { value, grads } = tf.variableGrads(
        () => weightedBce(forward(state.model, gt, true), y, state.positiveWeight, mask),
        variables,
      );
      state.adam.apply(
        variables.map((v) => grads[v.name]),
        learningRate,
      );
      const loss = (await value.data())[0];
      tf.dispose([value, ...Object.values(grads).filter((t) => t), y, mask]);
      disposeGraphTensors(gt);
      trimGpuBufferPool();
      lossSum += loss;
      edgesSeen += s.src.length;
      hooks.onStep?.(k + 1, steps.length, loss);
    }
    const trainSeconds = (performance.now() - tEpoch) / 1000;
    const v = await validate(state, config, val);
    const record: EpochRecord = {
      epoch,
      learningRate,
      trainLoss: lossSum / Math.max(steps.length, 1),
      valLoss: v.loss,
      val: v.metrics,
      seconds: (performance.now() - tEpoch) / 1000,
      edgesPerSecond: edgesSeen / Math.max(trainSeconds, 1e-9),
    };
    const isBest = v.loss < state.bestValLoss;
    if (isBest) {
      state.bestValLoss = v.loss;
      state.epochsSinceBest = 0;
    } else state.epochsSinceBest++;
    state.epoch = epoch;
    state.history.push(record);
    await hooks.onEpoch?.(state, record, isBest);
    if (config.maxMinutes !== undefined && (performance.now() - t0) / 60_000 >= config.maxMinutes) break;
  }
  return state;
}
