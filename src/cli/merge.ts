// `npm run merge -- --output DIR [--input DIR] [--limit N]` (flags: commands/merge.ts): one report from the records
// the shards of a run left in DIR.
import { formatSummary } from '../pipeline/run-pipeline.ts';
import { mergeRun } from '../pipeline/shard-run.ts';

export async function mergeCommand(flags: { output: string; input?: string; limit?: number }): Promise<void> {
  const s = await mergeRun({ outputDir: flags.output, inputDir: flags.input, limit: flags.limit });
  process.stdout.write(formatSummary(s) + '\n');
}
