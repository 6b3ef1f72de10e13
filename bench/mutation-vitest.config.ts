// Vitest settings for mutation runs (bench/mutation.ts): the project's config, only the mutated group's test files
// (MUTATION_TESTS), ordered fastest first, and a failing beforeAll hook counted as its tests failing.
// Stryker stops a mutant's run at its first failing test, so a mutant the quick unit tests kill no longer waits for
// the slow randomised ones (which vitest otherwise starts first, to balance parallel workers).
import type { RunnerTask as Task } from 'vitest';
import { BaseSequencer, type Reporter, type TestModule, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import base from '../vitest.config.ts';

class FastestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // The base order is failed first, then longest first (by the last run's durations): reversed.
    return (await super.sort(files)).reverse();
  }
}

/**
 * When a beforeAll hook throws (a mutant broke the fixture: a server that does not start, an event that does not
 * parse), vitest 4 marks the suite failed with the hook's error and its tests skipped (mode and state); Stryker's vitest runner counts
 * skipped tests as neither passed nor failed and, seeing no failure, calls the mutant Survived (0 tests completed).
 * `vitest run` fails on it, so the mutant is detected: the suite's skipped tests get the hook's failure. (A suite
 * whose own tests failed has no errors of its own; name-filtered tests of a failed suite turn failed too, which
 * changes nothing: the mutant is detected either way.)
 */
export function failTestsOfFailedSuites(task: Task, failedAbove?: Task['result']): void {
  const own = task.result?.state === 'fail' && (task.result.errors?.length ?? 0) > 0 ? task.result : undefined;
  const failed = own ?? failedAbove;
  if (task.type === 'test') {
    if (failed && (!task.result || task.result.state === 'skip')) {
      task.result = { state: 'fail', errors: failed.errors };
      task.mode = 'run'; // the runner reads a 'skip' mode as skipped whatever the result
    }
    return;
  }
  for (const child of task.tasks) failTestsOfFailedSuites(child, failed);
}

class HookFailuresFailTests implements Reporter {
  onTestRunEnd(modules: readonly TestModule[]): void {
    for (const m of modules) failTestsOfFailedSuites((m as unknown as { task: Task }).task);
  }
}

/** The mutated group's test files (bench/mutation.ts sets MUTATION_TESTS); all tests when unset. */
const include = process.env.MUTATION_TESTS ? (JSON.parse(process.env.MUTATION_TESTS) as string[]) : undefined;

// Spread, not mergeConfig: mergeConfig would add the include list to the project's instead of replacing it.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: include ?? base.test?.include,
    sequence: { sequencer: FastestFirst },
    reporters: [new HookFailuresFailTests()],
  },
});
