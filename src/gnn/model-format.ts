// The model file's format tag, the order of its MLPs in weights.bin and what its meta records about training, as
// plain values: read by the tfjs loader (model-file.ts), the tfjs-free weights reader (model-weights.ts) and the
// pipeline's scorers, in Node and in the web page.

export const MODEL_FORMAT = 'trackml-gnn-interaction-network/1';

/** The MLPs of the network in save order (weights.bin holds per MLP, per layer: w [in, out], then b [out]). */
export const MLP_NAMES = ['nodeEncoder', 'edgeEncoder', 'edgeUpdate', 'nodeUpdate', 'classifier'] as const;
export type MlpName = (typeof MLP_NAMES)[number];

/** The graph stage config a model was trained on, as its training recorded it in meta (undefined when absent). */
export function trainedGraphConfig(meta: Record<string, unknown> | undefined): unknown {
  return (meta?.data as { train?: { graphStage?: { config?: unknown } } } | undefined)?.train?.graphStage?.config;
}
