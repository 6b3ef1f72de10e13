// `npm run pipeline -- --input DIR --output DIR [--config FILE] [--limit N]` (flags: commands/pipeline.ts): every
// event of DIR through read → graph → GNN → tracks → submission (+ score with truth), report.json and report.html;
// resumable.
import { formatSummary, runPipeline } from '../pipeline/run-pipeline.ts';

export async function pipelineCommand(flags: { input: string; output: string; config?: string; limit?: number }): Promise<void> {
  const s = await runPipeline({ inputDir: flags.input, outputDir: flags.output, configFile: flags.config, limit: flags.limit });
  process.stdout.write(formatSummary(s) + '\n');
}
