// `npm run mutation -- GROUP …`: StrykerJS mutation testing of the modules whose bugs cost a wrong result (issue 22)
// (implementation: bench/mutation.ts). Slow: not part of `npm test`.
import { MUTATION_GROUPS } from '../../../bench/mutation-groups.ts';
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'mutation',
  summary:
    'Mutation testing (StrykerJS, vitest runner, incremental) of one module group at a time against its own tests, ' +
    "one file at a time: see GROUP. Each file's result is kept in bench/mutation-incremental/GROUP/ (committed), so files " +
    'whose source and tests did not change are not run again and a killed run continues where it stopped. The score per ' +
    'group and file goes to bench/results/mutation.json (`npm run bench:summary` puts it in BENCHMARKS.md), the ' +
    'surviving mutants to reports/mutation/GROUP-survivors.txt. Hours per group on two shared cores: run it niced, in ' +
    'the background (`nice -n 10 npm run mutation -- trackml > mutation.log 2>&1 &`).',
  positional: { name: 'GROUP', description: 'module groups to mutate', choices: Object.keys(MUTATION_GROUPS), variadic: true },
  flags: {
    file: {
      type: 'string',
      value: 'TEXT',
      description: "only the group's files whose path contains TEXT",
      example: 'csv.ts',
      defaultText: 'every file of the group',
    },
    rerun: {
      type: 'boolean',
      description: 'run files whose stored result is current too (Stryker still reuses unchanged mutants)',
    },
    count: {
      type: 'boolean',
      description:
        "only count each group's mutants per file and mutator (Stryker's instrumenter, seconds; the totals go to bench/results/mutation.json); runs no test",
    },
    summary: {
      type: 'boolean',
      description:
        "only rebuild each group's summary in bench/results/mutation.json from the stored per-file results (e.g. after a merge); runs no test",
    },
  },
  examples: ['npm run mutation -- scoring', 'npm run mutation -- trackml --file csv.ts', 'npm run mutation -- graph tracks --count'],
  run: async (args, groups) => {
    const m = await import('../../../bench/mutation.ts');
    if (args.count) await m.countMutants(groups);
    else if (args.summary) await m.summarizeGroups(groups);
    else await m.runMutation(groups, { file: args.file, rerun: args.rerun });
  },
});
