// A group's mutation summary (bench/mutation-summary.ts) counts every file's stored current result, whichever run made
// it (a `--file` run stores one file and must not drop the others from the group's score); files without a result
// or with an out-of-date one are listed, not counted; an unfinished group gets its measured rate and time left. And
// a file's fingerprint follows only the tests that run for its group (bench/mutation-store.ts testInputs).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MUTATION_GROUPS } from '../../bench/mutation-groups.ts';
import { globRegExp, splitIntoStores, testInputs, type StoredReport } from '../../bench/mutation-store.ts';
import { groupResult } from '../../bench/mutation-summary.ts';
import { mutationMarkdown } from '../../bench/mutation-report.ts';
import { tempDir } from '../real-data.ts';

const loc = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 9 } });
const mutant = (status: string, line: number) => ({ status, mutatorName: 'EqualityOperator', location: loc(line), replacement: '<' });

/** Stores `file`'s result as one Stryker run over it alone would (`npm run mutation -- g --file …`). */
function storeRun(
  root: string,
  file: string,
  print: string,
  statuses: string[],
  minutes: number,
  load: number,
  date: string,
  fresh = true,
): void {
  const report: StoredReport = {
    schemaVersion: '1.0',
    files: { [file]: { mutants: statuses.map((s, i) => mutant(s, i + 1)) } },
    testFiles: { 'test/x.test.ts': { source: 'x', tests: [{ id: '0', name: 'x' }] } },
  };
  const reportFile = path.join(root, `${path.basename(file)}.run.json`);
  writeFileSync(reportFile, JSON.stringify(report));
  splitIntoStores('g', reportFile, new Map([[file, print]]), () => ({ date, minutes, loadAverage1m: load, fresh }), root);
}

describe('mutation group summary', () => {
  it('merges the stored results of separate --file runs, lists files not run and stale, estimates the rest', () => {
    const root = tempDir('mutation-summary-');
    const group = { mutate: ['src/**/*.ts'], tests: ['test/x.test.ts'] };
    const files = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts', 'src/e.ts', 'src/f.ts'];
    storeRun(root, 'src/a.ts', 'pa', ['Killed', 'Killed', 'Survived'], 3, 2, '2026-12-02T10:00:00Z');
    storeRun(root, 'src/b.ts', 'pb', ['Timeout', 'NoCoverage', 'Killed'], 1, 6, '2026-12-02T11:00:00Z');
    storeRun(root, 'src/e.ts', 'pe', ['Killed', 'Killed', 'Killed'], 0.1, 6, '2026-12-02T11:00:00Z', false); // a rerun: not a rate
    // A fresh run then a rerun: the rate of the fresh one stays.
    storeRun(root, 'src/f.ts', 'pf', ['Killed', 'Killed'], 2, 1, '2026-12-02T08:00:00Z', true);
    storeRun(root, 'src/f.ts', 'pf', ['Killed', 'Killed'], 0.2, 1, '2026-12-02T08:00:00Z', false);
    storeRun(root, 'src/c.ts', 'old', ['Killed'], 1, 1, '2026-12-02T09:00:00Z'); // src/c.ts changed since its run
    const prints = new Map([
      ['src/a.ts', 'pa'],
      ['src/b.ts', 'pb'],
      ['src/c.ts', 'pc'],
      ['src/d.ts', 'pd'],
      ['src/e.ts', 'pe'],
      ['src/f.ts', 'pf'],
    ]);
    const r = groupResult(
      'g',
      group,
      files,
      prints,
      new Map([
        ['src/c.ts', 6],
        ['src/d.ts', 12],
      ]),
      root,
    );
    // a.ts, b.ts, e.ts and f.ts, stored by separate runs: 9 detected of 11.
    expect([r.mutants, r.killed, r.timeout, r.survived, r.noCoverage]).toEqual([11, 8, 1, 1, 1]);
    expect(r.score).toBeCloseTo(9 / 11, 12);
    expect(Object.keys(r.files)).toEqual(['src/a.ts', 'src/b.ts', 'src/e.ts', 'src/f.ts']);
    expect([r.filesRun, r.filesTotal, r.notRun, r.stale]).toEqual([4, 6, ['src/d.ts'], ['src/c.ts']]);
    expect(r.date).toBe('2026-12-02T11:00:00Z'); // the latest counted run
    expect(r.minutes).toBe(4.3);
    expect(r.loadAverage1m).toBe(2.98); // (3 min × 2 + 1.1 min × 6 + 0.2 min × 1) / 4.3 min
    // The rate from the fresh runs only (a, b, and f's first): 6 min over 8 mutants; 18 mutants left.
    expect([r.minutesPerMutant, r.remainingMutants, r.remainingMinutes]).toEqual([0.75, 18, 14]);
    expect(r.survivors).toEqual([
      expect.stringMatching(/src\/a\.ts:3 Survived EqualityOperator/),
      expect.stringMatching(/src\/b\.ts:2 NoCoverage EqualityOperator/),
    ]);

    const { survivors: _s, ...result } = r;
    const md = mutationMarkdown({ g: result });
    expect(md).toContain('| g | src/**/*.ts | test/x.test.ts | 4/6 |');
    expect(md).toContain('81.8 % (partial)');
    expect(md).toContain('Not run yet (not in the scores above): src/d.ts (g).');
    expect(md).toContain('out of date (the file or its tests changed since; not in the scores above): src/c.ts (g).');
    expect(md).toContain('g 18 mutants left × 0.75 min ≈ 0.2 h');

    // Every file current: complete, no estimate.
    storeRun(root, 'src/c.ts', 'pc', ['Killed'], 1, 1, '2026-12-02T12:00:00Z');
    storeRun(root, 'src/d.ts', 'pd', [], 1, 1, '2026-12-02T12:00:00Z');
    const done = groupResult('g', group, files, prints, new Map(), root);
    expect([done.filesRun, done.notRun, done.stale, done.minutesPerMutant]).toEqual([6, [], [], undefined]);
    expect(done.mutants).toBe(12);
  });

  it('reads the group test patterns as vitest does and fingerprints only the tests that run, with their helpers', () => {
    expect(globRegExp('test/scoring/**/*.test.ts').test('test/scoring/score.test.ts')).toBe(true);
    expect(globRegExp('test/scoring/**/*.test.ts').test('test/scoring/sub/deep.test.ts')).toBe(true);
    expect(globRegExp('test/scoring/**/*.test.ts').test('test/scoring.test.ts')).toBe(false);
    const graph = globRegExp('test/graph/{build,io}.test.ts');
    expect(
      ['test/graph/build.test.ts', 'test/graph/io.test.ts', 'test/graph/iotest.ts', 'test/graph/real-sample.test.ts'].map((f) =>
        graph.test(f),
      ),
    ).toEqual([true, true, false, false]);
    expect(globRegExp('test/viewer/server*.test.ts').test('test/viewer/sub/server.test.ts')).toBe(false);

    const viewer = testInputs(MUTATION_GROUPS['viewer-server']);
    expect(viewer).toEqual(
      expect.arrayContaining(['test/viewer/server.test.ts', 'test/viewer/server-hardening.test.ts', 'test/viewer/event-data.test.ts']),
    );
    expect(viewer).toContain('test/viewer/serve-unprivileged.ts'); // a helper: can change a result
    expect(viewer).not.toContain('test/viewer/e2e.test.ts'); // another test: not run for this group
    const graphInputs = testInputs(MUTATION_GROUPS.graph);
    expect(graphInputs).toContain('test/graph/build.test.ts');
    expect(graphInputs).not.toContain('test/graph/real-sample.test.ts');
  });
});
