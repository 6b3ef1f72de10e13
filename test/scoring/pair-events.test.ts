// Directory pairing for the score CLI: by event id, with clear errors for orphans and ambiguity (empty files
// suffice: nothing is read here).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { pairSubmissions } from '../../scoring/index.ts';

describe('pairSubmissions', () => {
  let truthDir: string;
  let subDir: string;
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'score-pairs-'));
    truthDir = path.join(tmp, 'truth');
    subDir = path.join(tmp, 'subs');
    mkdirSync(truthDir);
    mkdirSync(subDir);
    const truthFiles = ['event000000001-truth.csv.gz', 'event000000002-truth.csv', 'event000000003-truth.csv'];
    // event 4 has hits but no truth: not a truth event.
    for (const f of [...truthFiles, 'event000000002-hits.csv', 'event000000004-hits.csv']) writeFileSync(path.join(truthDir, f), '');
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));
  const touch = (name: string) => writeFileSync(path.join(subDir, name), '');

  it('pairs by event id, ignores other files, counts unsubmitted truth events', () => {
    touch('event000000002-submission.csv.gz');
    touch('event000000001-submission.csv');
    touch('notes.txt');
    const { pairs, unscoredTruthEvents } = pairSubmissions(truthDir, subDir);
    expect(pairs).toEqual([
      {
        event: 'event000000001',
        truth: path.join(truthDir, 'event000000001-truth.csv.gz'),
        submission: path.join(subDir, 'event000000001-submission.csv'),
      },
      {
        event: 'event000000002',
        truth: path.join(truthDir, 'event000000002-truth.csv'),
        submission: path.join(subDir, 'event000000002-submission.csv.gz'),
      },
    ]);
    expect(unscoredTruthEvents).toBe(1);
  });

  it('sorts by event id whatever the order files were made in; only exact submission names count', () => {
    for (const id of ['event000000003', 'event000000001', 'event000000002']) touch(`${id}-submission.csv`);
    for (const odd of [
      'xevent000000001-submission.csv',
      'event000000001-submission.csv.bak',
      'eventX-submission.csv',
      'event000000001-submission.gz',
    ])
      touch(odd);
    const { pairs, unscoredTruthEvents } = pairSubmissions(truthDir, subDir);
    expect(pairs.map((p) => p.event)).toEqual(['event000000001', 'event000000002', 'event000000003']);
    expect(pairs.map((p) => path.basename(p.submission))).toEqual([
      'event000000001-submission.csv',
      'event000000002-submission.csv',
      'event000000003-submission.csv',
    ]);
    expect(unscoredTruthEvents).toBe(0);
  });

  it('a submission for an event with hits but no truth has no truth', () => {
    touch('event000000004-submission.csv');
    expect(() => pairSubmissions(truthDir, subDir)).toThrow(
      /event000000004-submission\.csv: no truth for event000000004 in .*truth \(event000000004-truth\.csv\[\.gz\]\)$/,
    );
  });

  it('an unreadable submission folder and an empty one: one line each', () => {
    expect(() => pairSubmissions(truthDir, path.join(tmp, 'missing'))).toThrow(`${path.join(tmp, 'missing')}: cannot list this directory`);
    expect(() => pairSubmissions(truthDir, subDir)).toThrow(`${subDir}: no eventNNN-submission.csv[.gz] files in this directory`);
  });

  it('names both files of an ambiguous event, the .csv.gz as the second', () => {
    touch('event000000001-submission.csv.gz');
    touch('event000000001-submission.csv');
    expect(() => pairSubmissions(truthDir, subDir)).toThrow(
      `${path.join(subDir, 'event000000001-submission.csv.gz')}: ambiguous: event000000001-submission.csv is also present; keep one of them`,
    );
  });

  it('rejects a submission without truth, two submissions for one event, and an empty directory', () => {
    expect(() => pairSubmissions(truthDir, subDir)).toThrow(InputError);
    touch('event000000009-submission.csv');
    expect(() => pairSubmissions(truthDir, subDir)).toThrow(/event000000009-submission\.csv: no truth for event000000009/);
    rmSync(path.join(subDir, 'event000000009-submission.csv'));
    touch('event000000001-submission.csv');
    touch('event000000001-submission.csv.gz');
    expect(() => pairSubmissions(truthDir, subDir)).toThrow(/ambiguous/);
  });
});
