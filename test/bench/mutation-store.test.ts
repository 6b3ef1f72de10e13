// The committed mutation-testing store (bench/mutation-store.ts): a run over several files is split into one report
// per file and merged back for the next run with test ids renumbered consistently, and a file's result counts only
// while its fingerprint (source, the group's tests, Stryker version) is unchanged.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MUTATION_GROUPS } from '../../bench/mutation-groups.ts';
import {
  currentResult,
  fingerprint,
  groupFiles,
  mergeStores,
  readStore,
  splitIntoStores,
  type StoredReport,
} from '../../bench/mutation-store.ts';
import { tempDir } from '../real-data.ts';

const loc = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 9 } });
const test = (id: string, name: string) => ({ id, name });

/** A Stryker report of one run over a.ts and b.ts, with two test files; ids as Stryker numbers them in this run. */
function runReport(ids: [string, string, string]): StoredReport {
  return {
    schemaVersion: '1.0',
    files: {
      'src/a.ts': {
        mutants: [{ status: 'Killed', mutatorName: 'EqualityOperator', location: loc(3), coveredBy: [ids[0], ids[2]], killedBy: [ids[2]] }],
      },
      'src/b.ts': { mutants: [{ status: 'Survived', mutatorName: 'BooleanLiteral', location: loc(7), coveredBy: [ids[1]], killedBy: [] }] },
    },
    testFiles: {
      'test/x.test.ts': { source: 'x', tests: [test(ids[0], 'x one'), test(ids[1], 'x two')] },
      'test/y.test.ts': { source: 'y', tests: [test(ids[2], 'y one')] },
    },
  };
}

describe('mutation store', () => {
  it('splits a run into one report per file and merges reports of different runs with consistent test ids', () => {
    const root = tempDir('mutation-store-');
    const reportFile = path.join(root, 'run.json');
    const stamp = { date: '2026-12-02T00:00:00Z', minutes: 1, loadAverage1m: 2 };
    // Two runs that numbered the same tests differently; each stores one of the files.
    writeFileSync(reportFile, JSON.stringify(runReport(['0', '1', '2'])));
    splitIntoStores('g', reportFile, new Map([['src/a.ts', 'pa']]), () => stamp, root);
    writeFileSync(reportFile, JSON.stringify({ ...runReport(['7', '5', '6']), config: { huge: true } }));
    splitIntoStores(
      'g',
      reportFile,
      new Map([
        ['src/b.ts', 'pb'],
        ['src/c.ts', 'pc'],
      ]),
      () => stamp,
      root,
    );

    expect(Object.keys(readStore('g', 'src/a.ts', root)!.files)).toEqual(['src/a.ts']);
    expect(readStore('g', 'src/b.ts', root)).not.toHaveProperty('config');
    // A file without a mutant is stored empty: it counts as run.
    expect(currentResult('g', 'src/c.ts', 'pc', root)?.mutants).toEqual([]);

    const merged = mergeStores('g', ['src/a.ts', 'src/b.ts', 'src/c.ts'], root)!;
    const idOf = new Map(Object.values(merged.testFiles!).flatMap((tf) => tf.tests.map((t) => [t.name, t.id] as const)));
    expect(new Set(idOf.values()).size).toBe(3); // one id per distinct test, across both runs
    const a = merged.files['src/a.ts'].mutants[0];
    const b = merged.files['src/b.ts'].mutants[0];
    expect(a.coveredBy).toEqual([idOf.get('x one'), idOf.get('y one')]);
    expect(a.killedBy).toEqual([idOf.get('y one')]);
    expect(b.coveredBy).toEqual([idOf.get('x two')]);
    expect(merged.testFiles!['test/x.test.ts'].source).toBe('x');
  });

  it("leaves surviving static mutants out of the next run's input, so tests added since can kill them", () => {
    const root = tempDir('mutation-store-');
    const reportFile = path.join(root, 'run.json');
    const report = runReport(['0', '1', '2']);
    const m = (status: string, isStatic: boolean, line: number) => ({
      status,
      static: isStatic,
      mutatorName: 'StringLiteral',
      location: loc(line),
      coveredBy: [],
      killedBy: [],
    });
    report.files['src/a.ts'].mutants.push(m('Survived', true, 4), m('Killed', true, 5), m('Survived', false, 6), m('NoCoverage', true, 7));
    writeFileSync(reportFile, JSON.stringify(report));
    splitIntoStores('g', reportFile, new Map([['src/a.ts', 'pa']]), () => ({ date: 'd', minutes: 1, loadAverage1m: 1 }), root);
    expect(readStore('g', 'src/a.ts', root)!.files['src/a.ts'].mutants).toHaveLength(5); // the store keeps them all
    const lines = mergeStores('g', ['src/a.ts'], root)!.files['src/a.ts'].mutants.map((x) => x.location.start.line);
    expect(lines).toEqual([3, 5, 6]);
  });

  it("counts a file's result only while its fingerprint matches", () => {
    const root = tempDir('mutation-store-');
    const reportFile = path.join(root, 'run.json');
    writeFileSync(reportFile, JSON.stringify(runReport(['0', '1', '2'])));
    splitIntoStores('g', reportFile, new Map([['src/a.ts', 'pa']]), () => ({ date: 'd', minutes: 3, loadAverage1m: 1 }), root);
    expect(currentResult('g', 'src/a.ts', 'pa', root)?.mutants.map((m) => m.status)).toEqual(['Killed']);
    expect(currentResult('g', 'src/a.ts', 'changed', root)).toBeUndefined();
    expect(currentResult('g', 'src/b.ts', 'pb', root)).toBeUndefined();
    expect(mergeStores('g', ['src/z.ts'], root)).toBeUndefined();
  });

  it("a group's files and fingerprints: barrels left out, a fingerprint per file that follows its source", () => {
    const files = groupFiles(MUTATION_GROUPS.trackml);
    expect(files).toContain('src/trackml/csv.ts');
    expect(files).not.toContain('src/trackml/index.ts');
    expect(groupFiles(MUTATION_GROUPS['viewer-guards'])).toEqual(['viewer/server/safe-files.ts', 'viewer/server/request-rules.ts'].sort());
    const p1 = fingerprint(MUTATION_GROUPS.trackml, 'src/trackml/csv.ts', '9.6.1');
    expect(p1).toBe(fingerprint(MUTATION_GROUPS.trackml, 'src/trackml/csv.ts', '9.6.1'));
    expect(p1).not.toBe(fingerprint(MUTATION_GROUPS.trackml, 'src/trackml/parse.ts', '9.6.1'));
    expect(p1).not.toBe(fingerprint(MUTATION_GROUPS.trackml, 'src/trackml/csv.ts', '9.7.0'));
  });
});
