// Vitest settings for mutation runs (bench/mutation.ts): the project's config, only the mutated group's test files
// (MUTATION_TESTS), ordered fastest first.
// Stryker stops a mutant's run at its first failing test, so a mutant the quick unit tests kill no longer waits for
// the slow randomised ones (which vitest otherwise starts first, to balance parallel workers).
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import base from '../vitest.config.ts';

class FastestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // The base order is failed first, then longest first (by the last run's durations): reversed.
    return (await super.sort(files)).reverse();
  }
}

/** The mutated group's test files (bench/mutation.ts sets MUTATION_TESTS); all tests when unset. */
const include = process.env.MUTATION_TESTS ? (JSON.parse(process.env.MUTATION_TESTS) as string[]) : undefined;

// Spread, not mergeConfig: mergeConfig would add the include list to the project's instead of replacing it.
export default defineConfig({
  ...base,
  test: { ...base.test, include: include ?? base.test?.include, sequence: { sequencer: FastestFirst } },
});
