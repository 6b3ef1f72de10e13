// `npm run mutation -- GROUP …`: StrykerJS mutation testing of the modules whose bugs cost a wrong result (issue 22)
// (implementation: bench/mutation.ts). Slow: not part of `npm test`.
import { MUTATION_GROUPS } from '../../../bench/mutation-groups.ts';
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'mutation',
  summary:
    'Mutation testing (StrykerJS, vitest runner, incremental) of one module group at a time against its own tests: ' +
    'see GROUP. The score per group and file goes to bench/results/mutation.json ' +
    '(`npm run bench:summary` puts it in BENCHMARKS.md), the surviving mutants to reports/mutation/GROUP-survivors.txt. ' +
    'Minutes to an hour per group on two shared cores: run it niced, in the background ' +
    '(`nice -n 10 npm run mutation -- scoring > mutation.log 2>&1 &`).',
  positional: { name: 'GROUP', description: 'module groups to mutate', choices: Object.keys(MUTATION_GROUPS), variadic: true },
  flags: {},
  examples: ['npm run mutation -- scoring', 'npm run mutation -- trackml viewer-server'],
  run: async (_args, groups) => (await import('../../../bench/mutation.ts')).runMutation(groups),
});
