// Configs of the GNN stages: the model shape (hidden size, message-passing iterations, MLP depth) and training.
// Strict zod schemas (unknown keys are errors), defaults in code, overrides in pipelines/train-*.yaml.
import { z } from 'zod';
import { BACKENDS } from './backend-names.ts';

export const modelConfigSchema = z.strictObject({
  /** Width of node and edge latent vectors. */
  hidden: z.number().int().min(1).max(512).default(32),
  /** Message-passing iterations K (the edge and node update networks are shared across them). */
  iterations: z.number().int().min(0).max(32).default(4),
  /** Dense layers per MLP (encoders, updates, classifier head). */
  mlpLayers: z.number().int().min(1).max(8).default(2),
  /** Append two derived edge inputs the cuts of a pT ≥ 1 GeV builder use: the φ slope Δφ/Δr and the segment's
   * z at r = 0 (z0). An MLP of width 16 finds ratios hard to learn from Δφ and Δr alone. */
  derivedFeatures: z.boolean().default(true),
  /** Append the triplet inputs of src/gnn/triplets.ts: how well the edge continues into its best neighbour
   * edge on each side (polar-angle change, curvature). Off by default (models saved without it stay valid). */
  tripletFeatures: z.boolean().default(false),
  /** Triplet inputs: a neighbour edge that bends more than a track of this pT (GeV) is penalised when each edge's
   * best neighbour is picked. 1 for the pixel pT > 1 model; a graph down to 0.3 GeV needs 0.3, or the true
   * neighbour of a slow particle loses to a straighter wrong one. */
  tripletPtGeV: z.number().positive().default(1),
});
export type ModelConfig = z.output<typeof modelConfigSchema>;
/** A model config as written in YAML or code: omitted keys take their defaults. */
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

/** An edge filter run before the model (src/gnn/filter.ts). */
export const filterConfigSchema = z.strictObject({
  /** Model directory (model.json + weights.bin) of the filter. */
  model: z.string().min(1),
  /** Edges scoring below this are dropped. Omitted: the filter model's calibrated threshold. */
  threshold: z.number().min(0).max(1).optional(),
});
export type FilterConfig = z.output<typeof filterConfigSchema>;

export const trainConfigSchema = z.strictObject({
  /** Directory of training graphs (Arrow files from `stage:graphs`). */
  trainDir: z.string().min(1),
  /** Directory of validation graphs; per-epoch metrics and early stopping use it. */
  valDir: z.string().min(1),
  /** Use only the first N graphs of each directory. */
  trainLimit: z.number().int().min(1).optional(),
  valLimit: z.number().int().min(1).optional(),
  /** Where checkpoints go: last/ (for resume), best/ (lowest validation loss) and history.json. */
  outputDir: z.string().min(1).default('runs/train'),
  backend: z.enum(['auto', ...BACKENDS]).default('auto'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
  model: modelConfigSchema.prefault({}),
  /** Start from the weights of this saved model (a directory with model.json + weights.bin, e.g. another run's
   * best/ or trackml-data/model) instead of random ones: fine-tuning with a fresh optimizer, epoch count and
   * learning-rate schedule. Its weights must have the shapes `model` gives (hidden, iterations, mlpLayers and the
   * edge inputs equal); other settings (tripletPtGeV) may change: a curriculum from a pT > 1 model to lower pT. */
  initFrom: z.string().min(1).optional(),
  epochs: z.number().int().min(1).max(10_000).default(20),
  /** Training steps per epoch; each step is one φ-sector subgraph of at most maxEdgesPerStep edges. Omitted:
   * every sector of every training graph once. */
  stepsPerEpoch: z.number().int().min(1).optional(),
  /** Bounds a step's edges (memory: the wasm heap caps at 4 GiB; time per step). Large graphs are cut into
   * φ sectors by their inner hit. */
  maxEdgesPerStep: z.number().int().min(100).default(100_000),
  learningRate: z.number().positive().default(3e-3),
  /** Learning rate × lrDecay after every epoch (exponential schedule); 1 keeps it constant. */
  lrDecay: z.number().positive().max(1).default(0.9),
  /** Train for this pT (GeV): positives are true edges of faster particles, true edges of slower ones are left
   * out of the loss (Exa.TrkX's target/mask recipe); 0 makes every true edge a positive. */
  targetMinPtGeV: z.number().min(0).default(0),
  /** Weight of positives in the BCE; omitted: (#false / #true) of the training set, for balanced classes. */
  positiveWeight: z.number().positive().optional(),
  /** Stop after this many epochs without a better validation loss. */
  patience: z.number().int().min(1).default(5),
  /** Score threshold for the efficiency/purity reported per epoch. */
  threshold: z.number().min(0).max(1).default(0.5),
  /** Edges per chunk in validation and inference (bounds peak memory). */
  inferenceChunkEdges: z.number().int().min(1000).default(262_144),
  /** Stop after this many minutes of training (checked after each epoch); keeps runs bounded. */
  maxMinutes: z.number().positive().optional(),
  /** This model is an edge filter (src/gnn/filter.ts): its threshold is calibrated as the highest that keeps at
   * least this share of the target edges, rather than where efficiency and purity balance. */
  filterEfficiency: z.number().min(0.5).max(1).optional(),
  /** Train on the edges an edge filter keeps (src/gnn/filter.ts): training and validation graphs are filtered as
   * they are read, as the pipeline filters before this model. */
  filter: filterConfigSchema.optional(),
});
export type TrainConfig = z.output<typeof trainConfigSchema>;
