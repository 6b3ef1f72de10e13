// The mutation-testing result: tallies per group and file, and its BENCHMARKS.md section (bench/mutation.ts writes
// bench/results/mutation.json; bench/summary.ts prints the section).

export interface MutantLike {
  status: string;
  fileName: string;
  mutatorName: string;
  replacement?: string;
  location: { start: { line: number } };
}

/** Mutation score as Stryker defines it: detected / (detected + undetected); ignored and invalid mutants do not count. */
export function tally(mutants: MutantLike[]) {
  const count = (s: string) => mutants.filter((m) => m.status === s).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const ignored = count('Ignored');
  const invalid = count('CompileError') + count('RuntimeError');
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  return { mutants: mutants.length, killed, timeout, survived, noCoverage, ignored, invalid, score: valid ? detected / valid : 1 };
}

/** A group's mutant count from the instrumenter (no tests run). */
export interface MutantCount {
  mutants: number;
  files: number;
  date: string;
}

export const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

export type Tally = ReturnType<typeof tally>;
export interface GroupResult extends Tally {
  command: string;
  date: string;
  loadAverage1m: number;
  minutes: number;
  mutate: string[];
  tests: string[];
  /** Files with a current stored result, of all the group's files (absent in results from before the file store). */
  filesRun?: number;
  filesTotal?: number;
  /** The group's files without a stored result: not in the score. */
  notRun?: string[];
  /** The group's files whose stored result is out of date (the file or its tests changed since): not in the score. */
  stale?: string[];
  /** For an unfinished group: minutes per mutant over its counted files, and the remaining mutants and minutes. */
  minutesPerMutant?: number;
  remainingMutants?: number;
  remainingMinutes?: number;
  files: Record<string, Tally>;
}

/** The BENCHMARKS.md section (bench/summary.ts prints `markdown` of the result file): per group, then per file. */
export function mutationMarkdown(groups: Record<string, GroupResult>, counts: Record<string, MutantCount> = {}): string {
  const rows = Object.entries(groups).sort();
  const out = [
    '## Mutation testing (StrykerJS)',
    '',
    'Each group mutated by StrykerJS 9 (vitest runner, per-test coverage, incremental), one file at a time, and tested with its ' +
      "own test folder only; each file's result is kept in bench/mutation-incremental/ (committed), so a run continues where " +
      'the last one stopped; ' +
      'score = (killed + timed out) / (killed + timed out + survived + not covered); target 85 %. Equivalent mutants are ' +
      'marked `// Stryker disable` with the reason. Survivors of the last run: `reports/mutation/GROUP-survivors.txt`. ' +
      "Static mutants (reached at module load or in beforeAll hooks; each runs all the group's tests in a fresh worker, " +
      '~90 % of the time) are run, not ignored: `ignoreStatic` made the "hybrid" ones, reached both in a beforeAll ' +
      'fixture and in tests, falsely survive. A failing beforeAll counts as its tests failing. Tests whose every check ' +
      'runs in a child process (where no mutant is active) skip themselves in mutation runs (test/mutation-run.ts). ' +
      "Where the time goes (graph, ~15 s a mutant): 27 of src/graph/context.ts's 31 mutants are static, so each runs all 8 " +
      'test files, and Stryker runs vitest with a fresh module context per file: one run of them took 52.7 s at load 11 — ' +
      'imports 26.8 s, transforms 6.0 s, tests 8.5 s. Narrowing each file to the tests whose import graph reaches it ' +
      '(esbuild metafile) would spare little: the slowest test files reach most graph files (ring-map.test.ts, 2.6 s: 13 of ' +
      'the 14; build.test.ts, 2.9 s: 10; io.test.ts, 1.5 s: 12).',
    '',
    '| group | mutated | tests | files run | ran (UTC) | load avg | minutes | mutants | killed | timed out | survived | not covered | score |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, g] of rows) {
    // A group counts as done only when every one of its files has a current result.
    const complete = g.filesTotal === undefined || g.filesRun === g.filesTotal;
    const ok = g.score >= 0.85 && complete ? ' ✓' : complete ? '' : ' (partial)';
    const filesRun = g.filesTotal === undefined ? 'all' : `${g.filesRun}/${g.filesTotal}`;
    out.push(
      `| ${name} | ${g.mutate.filter((m) => !m.startsWith('!')).join(', ')} | ${g.tests.join(', ')} | ${filesRun} | ${g.date.slice(0, 16).replace('T', ' ')} | ${g.loadAverage1m} | ${Math.round(g.minutes)} | ` +
        `${g.mutants} | ${g.killed} | ${g.timeout} | ${g.survived} | ${g.noCoverage} | ${g.filesRun === 0 ? '– (no current result)' : pct(g.score) + ok} |`,
    );
  }
  const notRun = rows.flatMap(([name, g]) => (g.notRun ?? []).map((f) => `${f} (${name})`));
  if (notRun.length > 0) out.push('', `Not run yet (not in the scores above): ${notRun.join(', ')}.`);
  const stale = rows.flatMap(([name, g]) => (g.stale ?? []).map((f) => `${f} (${name})`));
  if (stale.length > 0) {
    out.push('', `Stored results out of date (the file or its tests changed since; not in the scores above): ${stale.join(', ')}.`);
  }
  const rest = rows.filter(([, g]) => g.minutesPerMutant !== undefined);
  if (rest.length > 0) {
    out.push(
      '',
      'Unfinished groups, at the rate measured on their run files (on this box, at the load above): ' +
        rest
          .map(([name, g]) =>
            g.remainingMutants === undefined
              ? `${name} ${g.minutesPerMutant} min per mutant`
              : `${name} ${g.remainingMutants} mutants left × ${g.minutesPerMutant} min ≈ ${(g.remainingMinutes! / 60).toFixed(1)} h`,
          )
          .join('; ') +
        '.',
    );
  }
  const neverRun = Object.entries(counts).filter(([name]) => !(name in groups));
  if (neverRun.length > 0) {
    out.push(
      '',
      "Groups without a result yet, their mutants counted by Stryker's instrumenter (`npm run mutation -- --count`): " +
        neverRun.map(([name, c]) => `${name} ${c.mutants} mutants in ${c.files} files (${c.date.slice(0, 10)})`).join('; ') +
        '.',
    );
  }
  out.push('', '| file | mutants | survived | not covered | score |', '| --- | --- | --- | --- | --- |');
  for (const [, g] of rows) {
    for (const [file, t] of Object.entries(g.files)) {
      out.push(`| ${file} | ${t.mutants} | ${t.survived} | ${t.noCoverage} | ${pct(t.score)} |`);
    }
  }
  return out.join('\n');
}
