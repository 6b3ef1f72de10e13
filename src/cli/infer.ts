// `npm run stage:infer -- --input DIR --output DIR --model PATH [--backend …] [--limit N] [--chunk-edges N]
// [--threshold T]` (flags: commands/stage-infer.ts): graph files → per-event edge scores (Arrow), with metrics in
// provenance when graphs have truth.
import type { EngineChoice } from '../gnn/backend-names.ts';
import { parseShard } from '../core/shard.ts';
import { runInferStage } from '../gnn/stage.ts';

export interface InferFlags {
  input: string;
  output: string;
  model: string;
  backend: EngineChoice;
  limit?: number;
  'chunk-edges'?: number;
  shard?: string;
  threshold?: number;
}

export async function inferCommand(flags: InferFlags): Promise<void> {
  const r = await runInferStage({
    inputDir: flags.input,
    outputDir: flags.output,
    modelPath: flags.model,
    backend: flags.backend,
    limit: flags.limit,
    chunkEdges: flags['chunk-edges'],
    shard: flags.shard === undefined ? undefined : parseShard(flags.shard),
    threshold: flags.threshold,
  });
  process.stdout.write(
    `edge scores: ${r.events} events on ${r.backend} → ${flags.output} (${r.computed} computed, ${r.events - r.computed} up to date)\n`,
  );
}
