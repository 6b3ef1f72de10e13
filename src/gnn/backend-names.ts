// Names of the engines that can run the GNN, without loading any of them (configs and CLIs validate against these;
// importing tfjs or onnxruntime costs start-up time a run on another engine should not pay).

/** tfjs backends, in backend.ts's auto order (training runs on these). */
export const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

/** Inference engines: ONNX Runtime on the CPU (onnxruntime-node) and the tfjs backends. */
export const ENGINES = ['ort-cpu', ...BACKENDS] as const;
export type EngineName = (typeof ENGINES)[number];
export type EngineChoice = EngineName | 'auto';

/** What `train --backend` accepts. */
export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;
/** What `stage:infer --backend` accepts. */
export const ENGINE_CHOICES = ['auto', ...ENGINES] as const;
