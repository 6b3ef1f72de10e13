// `npm run pipeline -- --input DIR --output DIR [--config FILE] [--limit N] [--save-graphs]` (flags:
// commands/pipeline.ts): every event of DIR through read → graph → GNN → tracks → submission (+ score with truth),
// report.json and report.html; resumable. --save-graphs keeps each event's graph and edge scores beside its
// submission for the viewer (config: saveGraphs).
import { formatSummary, runPipeline } from '../pipeline/run-pipeline.ts';

export async function pipelineCommand(flags: { input: string; output: string; config?: string; limit?: number; 'save-graphs': boolean }): Promise<void> {
  const s = await runPipeline({ inputDir: flags.input, outputDir: flags.output, configFile: flags.config, limit: flags.limit, saveGraphs: flags['save-graphs'] });
  process.stdout.write(formatSummary(s) + '\n');
}
