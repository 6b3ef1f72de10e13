// Config of `npm run pipeline` (and of stage:tracks / stage:score): graph builder, edge scorer, track builder,
// report. Strict: unknown keys are errors; every key has a default.
import { z } from 'zod';
import { filterConfigSchema } from '../gnn/config.ts';
import { graphConfigSchema } from '../graph/config.ts';
import { tracksConfigSchema } from '../tracks/build.ts';
import { evaluationConfigSchema } from './eval-config.ts';
import { ENGINE_CHOICES } from '../gnn/backend-names.ts';

export const DEFAULT_MODEL_DIR = 'trackml-data/model';
export const DEFAULT_MODULE_MAP = 'trackml-data/module-map/pixel-pt1.arrow';

export const pipelineConfigSchema = z.strictObject({
  /** Graph stage settings (src/graph/config.ts); must match what the model was trained on. Default: the shipped
   * model's graphs, the pixel pT > 1 GeV module map shipped in trackml-data/module-map/. */
  graph: graphConfigSchema.prefault({
    builder: 'moduleMap',
    detector: 'pixel',
    moduleMap: { file: DEFAULT_MODULE_MAP, marginFraction: 0.1, learnMinPtGeV: 1 },
  }),
  /** 'gnn': the model in `model`; 'truth': graph truth labels ± `truthNoise` (development, needs truth). */
  scorer: z.enum(['gnn', 'truth']).default('gnn'),
  /** Model directory (model.json + weights.bin), relative to the working directory. */
  model: z.string().min(1).default(DEFAULT_MODEL_DIR),
  /** An edge filter run before the GNN (src/gnn/filter.ts): a model trained behind a filter needs the same one. */
  filter: filterConfigSchema.optional(),
  backend: z.enum(ENGINE_CHOICES).default('auto'),
  /** Half-width of the uniform noise on truth labels: above 0.5 true and false scores overlap, so the track
   * builder sees ambiguous edges. */
  truthNoise: z.number().min(0).max(1).default(0.6),
  tracks: tracksConfigSchema.prefault({}),
  /** Also write each event's graph and edge scores (Arrow, as stage:graphs and stage:infer do) beside its
   * submission: what the viewer needs to show the GNN's view; ~30 bytes per edge on disk. */
  saveGraphs: z.boolean().default(false),
  /** Overlap events (see `workers`); false: one event at a time, every stage on the main thread. Results are
   * identical either way. */
  overlap: z.boolean().default(true),
  /** With `overlap`: events processed at once, each whole (read → … → submission) on its own worker thread with
   * its own model session (src/pipeline/event-pool.ts); 'auto': one per core. 1: one event at a time, its tracks
   * on a worker thread overlapping the next event's graph and GNN. Submissions are identical for any value.
   * Default 1, by measurement (`npm run bench -- throughput` on the real full events, 2-core box at load ~24):
   * 1 was faster as a whole process (3 events 114 s vs 124 s, 6 events 167 s vs 186 s; steady after the warm-up
   * 18.9 vs 17.8 s per event slightly favoured the pool), used 20–25 % less CPU (each pool worker pays its own
   * start-up, JIT and model-session warm-up) and 673 MiB instead of 1,045 MiB peak RSS. A quiet box may differ. */
  workers: z.union([z.literal('auto'), z.number().int().min(1).max(64)]).default(1),
  /** Threads of each GNN session (ort-cpu; src/gnn/onnx-engine.ts: the edges in that many parts, scores identical
   * for any value). 'auto': the cores divided among the event workers. Default 1, by measurement on the shared
   * 2-core box at load ~25 (BENCHMARKS.md, "Throughput"): 2 threads took 1.7× the CPU and more wall time per event
   * there; a quiet box may differ (`npm run bench -- throughput` measures both). */
  gnnThreads: z.union([z.literal('auto'), z.number().int().min(1).max(64)]).default(1),
  /** With `overlap` and one event at a time: the tracks worker, idle while the main thread loads the context and
   * runs the first event's graph and GNN, builds tracks once on every 8th hit of the first event with no graph and
   * drops the result, so the first event's real track building runs on warmed-up (JIT-compiled) code. Submissions
   * are identical either way. */
  warmUp: z.boolean().default(true),
  /** What the report evaluates on events with truth (target particles, working point, binning). */
  evaluation: evaluationConfigSchema.prefault({}),
  report: z
    .strictObject({
      /** Bins of the edge-score histogram plot (a divisor of 1000, the stored resolution). */
      scoreBins: z
        .number()
        .int()
        .min(10)
        .max(1000)
        .refine((n) => 1000 % n === 0, 'must divide 1000')
        .default(50),
    })
    .prefault({}),
});

export type PipelineConfig = z.output<typeof pipelineConfigSchema>;
export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;
