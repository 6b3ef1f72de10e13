// `npm run bench:summary`: BENCHMARKS.md from bench/results/*.json (implementation: bench/summary.ts, which writes
// the file when imported).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'bench:summary',
  summary:
    'Writes BENCHMARKS.md from bench/results/*.json, so every figure in it comes from a benchmark run (with the ' +
    'machine, date, commit and load average it ran with). Sections whose results are absent are left out.',
  flags: {},
  examples: ['npm run bench:summary'],
  run: async () => {
    await import('../../../bench/summary.ts');
  },
});
