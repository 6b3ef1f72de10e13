// Inference engine choice: ONNX Runtime on the CPU (onnx-engine.ts) or a tfjs backend (backend.ts), one entry point
// for the pipeline and stage:infer. 'auto' order, measured on real full events (BENCHMARKS.md, "Throughput"):
// tfjs-node-gpu (CUDA, where a user installed it) → ort-cpu (~4× faster than tfjs wasm on one core here) → the rest of
// backend.ts's chain (tfjs-node, a hardware webgpu adapter, wasm, cpu). tfjs is imported only when a tfjs backend
// runs.
import { createRequire } from 'node:module';
import type { Graph } from '../graph/graph.ts';
import type { BackendName, EngineChoice, EngineName } from './backend-names.ts';
import { readModelWeights, type ModelWeights } from './model-weights.ts';
import { loadOnnxRuntime, OnnxEdgeClassifier } from './onnx-engine.ts';

export interface EngineAttempt {
  engine: EngineName;
  ok: boolean;
  reason?: string;
}

/** A loaded model on one engine. */
export interface EdgeEngine {
  engine: EngineName;
  attempts: EngineAttempt[];
  /** The model file's meta (threshold, training provenance). */
  meta: Record<string, unknown>;
  weights: ModelWeights;
  /** ort-cpu: the threads its session runs on. */
  threads?: number;
  /** Edge scores; `chunkEdges` bounds tfjs's edge-wise tensors (ONNX Runtime runs the whole graph). */
  classify(graph: Pick<Graph, 'nodeFeatures' | 'edgeFeatures' | 'src' | 'dst'>, chunkEdges?: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Whether ort-cpu comes before the tfjs chain for `choice`: the decision alone, given whether onnxruntime loads
 * (undefined) or why not (a reason), so it can be tested on any machine. */
export function planEngines(
  choice: EngineChoice,
  ortUnavailable: string | undefined,
  cudaInstalled: boolean,
): { tryOrt: boolean; tfjs: BackendName | 'auto' | undefined; attempts: EngineAttempt[] } {
  if (choice === 'ort-cpu') return { tryOrt: true, tfjs: undefined, attempts: [] };
  if (choice !== 'auto') return { tryOrt: false, tfjs: choice, attempts: [] };
  // tfjs-node-gpu is only ever present because a user installed it for their GPU: let it go first.
  if (cudaInstalled) return { tryOrt: false, tfjs: 'auto', attempts: [] };
  if (ortUnavailable === undefined) return { tryOrt: true, tfjs: undefined, attempts: [] };
  return { tryOrt: false, tfjs: 'auto', attempts: [{ engine: 'ort-cpu', ok: false, reason: ortUnavailable }] };
}

function cudaBackendInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node-gpu');
    return true;
  } catch {
    return false;
  }
}

/** Loads the model in `modelDir` (model.json + weights.bin) on the engine `choice` resolves to. A forced engine
 * that cannot run throws an Error whose message says why. */
export async function openEngine(modelDir: string, choice: EngineChoice = 'auto', opts: { threads?: number } = {}): Promise<EdgeEngine> {
  const { weights, meta } = readModelWeights(modelDir);
  const ort = choice === 'auto' || choice === 'ort-cpu' ? loadOnnxRuntime() : undefined;
  const plan = planEngines(choice, typeof ort === 'string' ? ort : undefined, choice === 'auto' && cudaBackendInstalled());
  if (plan.tryOrt) {
    if (typeof ort === 'string') throw new Error(`engine ort-cpu unavailable: ${ort}`);
    // The session is made on first use: a pipeline whose events run on worker threads never uses the main thread's.
    let classifier: Promise<OnnxEdgeClassifier> | undefined;
    const threads = Math.max(1, Math.floor(opts.threads ?? 1));
    return {
      engine: 'ort-cpu',
      threads,
      attempts: [...plan.attempts, { engine: 'ort-cpu', ok: true }],
      meta,
      weights,
      classify: async (g) => (await (classifier ??= OnnxEdgeClassifier.create(weights, { threads }))).classify(g),
      release: async () => (await classifier)?.release(),
    };
  }
  // tfjs: imported here only.
  const [{ selectBackend }, { loadModel }, { classifyEdges }, { disposeModel }] = await Promise.all([
    import('./backend.ts'),
    import('./checkpoint.ts'),
    import('./infer.ts'),
    import('./model.ts'),
  ]);
  const report = await selectBackend(plan.tfjs ?? 'auto');
  const { model } = loadModel(modelDir);
  return {
    engine: report.backend,
    attempts: [...plan.attempts, ...report.attempts.map((a) => ({ engine: a.backend, ok: a.ok, reason: a.reason }))],
    meta,
    weights,
    classify: (g, chunkEdges) => classifyEdges(g, model, { chunkEdges }),
    release: async () => disposeModel(model),
  };
}

/** One line per skipped engine plus the one that runs, e.g. for stderr. */
export function describeEngine(e: Pick<EdgeEngine, 'engine' | 'attempts' | 'threads'>): string {
  const skipped = e.attempts.filter((a) => !a.ok).map((a) => `${a.engine} unavailable: ${a.reason}`);
  return [
    ...skipped,
    `engine: ${e.engine}${e.engine === 'ort-cpu' ? ` (onnxruntime-node, ${e.threads ?? 1} thread${(e.threads ?? 1) > 1 ? 's, edges in parts' : ''})` : ' (tfjs)'}`,
  ].join('\n');
}
