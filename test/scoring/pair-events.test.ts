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
    for (const f of [...truthFiles, 'event000000002-hits.csv']) writeFileSync(path.join(truthDir, f), '');
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

  it('rejects a submission without truth, two submissions for one event, and an empty directory', () => {
    expect(() => pairSubmissions(truthDir, subDir)).toThrow(InputError);
    touch('event000000009-submission.csv');
    expect(() => pairSubmissions(truthDir, subDir)).toThrow(
      /event000000009-submission\.csv: no truth for event000000009/,
    );
    rmSync(path.join(subDir, 'event000000009-submission.csv'));
    touch('event000000001-submission.csv');
    touch('event000000001-submission.csv.gz');
    expect(() => pairSubmissions(truthDir, subDir)).toThrow(/ambiguous/);
  });
});
