// Config of the main job (`npm start`): where to write, how many events to simulate, simulator overrides and the
// tracking pipeline's settings.
import { z } from 'zod';
import { simulateConfigSchema } from '../simulate/config.ts';
import { pipelineConfigSchema } from './pipeline-config.ts';

export const mainConfigSchema = z.strictObject({
  /** Run directory: events/, pipeline/ (submissions, report) and provenance-*.json go under it. */
  output: z.string().min(1).default('runs/default'),
  events: z.number().int().min(1).max(10_000).default(3),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
  /** A real detectors.csv[.gz] to simulate on instead of the built-in model. */
  detectors: z.string().min(1).optional(),
  simulate: simulateConfigSchema.prefault({}),
  /** The tracking pipeline (src/pipeline/pipeline-config.ts): graph, scorer (shipped GNN), tracks, report. */
  pipeline: pipelineConfigSchema.prefault({}),
});

export type MainConfig = z.output<typeof mainConfigSchema>;
