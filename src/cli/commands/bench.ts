// `npm run bench`: runs benchmarks, each in its own process (implementation: bench/run.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'bench',
  summary:
    'Runs the benchmarks bench/<NAME>.bench.ts (all, or those named), each in its own process; results go to ' +
    'bench/results/<NAME>.json with the machine, commit and load average. `npm run bench:summary` then writes BENCHMARKS.md.',
  positional: { name: 'NAME', description: 'benchmarks to run (file names in bench/ without .bench.ts); default all', variadic: true },
  flags: {},
  examples: ['npm run bench', 'npm run bench -- io score'],
  run: async (_args, names) => (await import('../../../bench/run.ts')).runBenchmarks(names),
});
