// Vitest settings for mutation runs (bench/mutation.ts): the project's config, with test files ordered fastest first.
// Stryker stops a mutant's run at its first failing test, so a mutant the quick unit tests kill no longer waits for
// the slow randomised ones (which vitest otherwise starts first, to balance parallel workers).
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.ts';

class FastestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // The base order is failed first, then longest first (by the last run's durations): reversed.
    return (await super.sort(files)).reverse();
  }
}

export default mergeConfig(base, defineConfig({ test: { sequence: { sequencer: FastestFirst } } }));
