// `npm run stage:graphs -- --input DIR --output DIR [--config FILE] [--limit N]`: events → graph files.
// `npm run stage:graphs -- module-map (--input DIR | --simulate N [--seed S]) --output FILE [--config FILE] [--limit N]`:
// learn a module map from events on disk or from N events simulated in memory. Flags: commands/stage-graphs.ts.
import { InputError } from '../core/errors.ts';
import { parseShard } from '../core/shard.ts';
import { runGraphStage, runModuleMapStage } from '../graph/stage.ts';

export interface GraphsFlags {
  input?: string;
  output: string;
  config?: string;
  limit?: number;
  simulate?: number;
  seed?: number;
  shard?: string;
}

export function graphsCommand(flags: GraphsFlags, positionals: string[]): void {
  const learnMap = positionals[0] === 'module-map';
  const simulated = learnMap && flags.simulate !== undefined;
  if (simulated && flags.input !== undefined) throw new InputError(undefined, undefined, 'give --input or --simulate, not both');
  if (!simulated && flags.input === undefined)
    throw new InputError(undefined, undefined, `${learnMap ? '--input (or --simulate)' : '--input'} is required`);
  if (!learnMap && (flags.simulate !== undefined || flags.seed !== undefined))
    throw new InputError(undefined, undefined, '--simulate and --seed belong to module-map');
  if (learnMap && flags.shard !== undefined)
    throw new InputError(undefined, undefined, '--shard does not apply to module-map (one map is learned from all events)');
  if (learnMap) {
    const simulate = simulated ? { events: flags.simulate!, seed: flags.seed ?? 1 } : undefined;
    const r = runModuleMapStage({
      inputDir: flags.input,
      simulate,
      outputFile: flags.output,
      configFile: flags.config,
      limit: flags.limit,
    });
    process.stdout.write(
      `${r.kind}: ${r.entries} ${r.kind === 'ring map' ? 'ring' : 'module'} pairs from ${r.segments} segments of ${r.events} events → ${flags.output}\n`,
    );
  } else {
    const r = runGraphStage({
      inputDir: flags.input!,
      outputDir: flags.output,
      configFile: flags.config,
      limit: flags.limit,
      shard: flags.shard === undefined ? undefined : parseShard(flags.shard),
    });
    process.stdout.write(`graphs: ${r.events} events → ${flags.output} (${r.computed} built, ${r.events - r.computed} up to date)\n`);
  }
}
