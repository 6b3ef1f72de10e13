// `npm run pipeline -- --input DIR --output DIR [--config FILE] [--limit N] [--save-graphs] [--shard I/N | --queue URL]`
// (flags: commands/pipeline.ts): every event of DIR through read → graph → GNN → tracks → submission (+ score with
// truth), report.json and report.html; resumable. --save-graphs keeps each event's graph and edge scores beside its
// submission for the viewer (config: saveGraphs). --shard runs one shard of a batch array (no report: `npm run
// merge` writes it); --queue enqueues the events for `npm run worker`s and writes the report when they are done.
import { InputError } from '../core/errors.ts';
import { parseShard } from '../core/shard.ts';
import { formatSummary, runPipeline } from '../pipeline/run-pipeline.ts';

interface PipelineFlags {
  input: string;
  output: string;
  config?: string;
  limit?: number;
  'save-graphs': boolean;
  shard?: string;
  queue?: string;
}

export async function pipelineCommand(flags: PipelineFlags): Promise<void> {
  const base = {
    inputDir: flags.input,
    outputDir: flags.output,
    configFile: flags.config,
    limit: flags.limit,
    saveGraphs: flags['save-graphs'],
  };
  if (flags.shard !== undefined && flags.queue !== undefined)
    throw new InputError(undefined, undefined, '--shard and --queue are two ways to split a run: give one');
  if (flags.shard !== undefined) {
    const shard = parseShard(flags.shard);
    const { runPipelineShard } = await import('../pipeline/shard-run.ts');
    const r = await runPipelineShard({ ...base, shard });
    process.stdout.write(
      `shard ${shard.index}/${shard.count}: ${r.events} of ${r.runEvents} events (${r.computed} computed, ${r.events - r.computed} up to date)` +
        `${r.meanScore !== undefined ? `, mean TrackML score ${r.meanScore.toFixed(4)}` : ''}; when every shard is done: npm run merge -- --output ${flags.output}\n`,
    );
    return;
  }
  if (flags.queue !== undefined) {
    const { runQueuedPipeline } = await import('../pipeline/queue-run.ts');
    const r = await runQueuedPipeline({ ...base, queueUrl: flags.queue });
    if (r.summary) process.stdout.write(formatSummary(r.summary) + '\n');
    if (r.failures.length > 0) {
      const list = r.failures.map((f) => `${f.eventId}: ${f.reason}`).join('; ');
      throw new InputError(undefined, undefined, `${r.failures.length} of ${r.events} events failed (listed in the report): ${list}`);
    }
    return;
  }
  const s = await runPipeline(base);
  process.stdout.write(formatSummary(s) + '\n');
}
