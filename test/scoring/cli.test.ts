// The score CLI end to end (few spawns, ~0.5 s each): file mode, directory mode, and a user error.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readTruth } from '../../src/trackml/index.ts';
import type { Truth } from '../../src/trackml/types.ts';
import { repoRoot, sampleTruthFile as findSampleTruth } from './fixtures.ts';
import { referenceScore } from './reference-score.ts';
import { describeRealData } from '../real-data.ts';
import { cliArgv } from '../cli-run.ts';

function runScore(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, cliArgv('score', ...args), {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trimEnd().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

/** Submission text: the truth's hits, the track of row i given by `trackOf(i)`. */
function submissionCsv(truth: Truth, trackOf: (i: number) => bigint): string {
  const lines = ['hit_id,track_id'];
  for (let i = 0; i < truth.hitId.length; i++) lines.push(`${truth.hitId[i]},${trackOf(i)}`);
  return lines.join('\n') + '\n';
}

describeRealData('score CLI', () => {
  let tmp: string;
  let truth: Truth;
  let sampleTruthFile: string;
  beforeAll(() => {
    sampleTruthFile = findSampleTruth();
    truth = readTruth(sampleTruthFile);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'score-cli-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('file mode: last stdout line is JSON with score 1 for the truth as submission', () => {
    const sub = path.join(tmp, 'perfect.csv');
    writeFileSync(
      sub,
      submissionCsv(truth, (i) => truth.particleId[i]),
    );
    const r = runScore(['--truth', sampleTruthFile, '--submission', sub]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = lastJson(r.stdout);
    expect(out.event).toBe('event000000001');
    expect(Math.abs((out.score as number) - 1)).toBeLessThan(1e-12);
    expect(out.hits).toBe(5527);
    expect(out.tracks).toBe(out.goodTracks);
  });

  it('directory mode pairs events by id and reports the mean', () => {
    const truthDir = path.join(tmp, 'truth');
    const subDir = path.join(tmp, 'subs');
    for (const d of [truthDir, subDir]) mkdirSync(d);
    // Three "events" sharing the sample truth (links, not copies); the third has no submission.
    for (const id of ['event000000001', 'event000000002', 'event000000003']) {
      symlinkSync(sampleTruthFile, path.join(truthDir, `${id}-truth.csv.gz`));
    }
    writeFileSync(
      path.join(subDir, 'event000000001-submission.csv'),
      submissionCsv(truth, (i) => truth.particleId[i]),
    );
    // Event 2: track = particle, but every third truth row moved into one junk track (-7): a partial score
    // (≈0.62) that the reference loop computes independently.
    const junk = (i: number) => (i % 3 === 0 ? -7n : BigInt.asIntN(64, truth.particleId[i]));
    writeFileSync(path.join(subDir, 'event000000002-submission.csv'), submissionCsv(truth, junk));
    const junkTracks = BigInt64Array.from(truth.hitId, (_, i) => junk(i));
    const expected2 = referenceScore(truth, { hitId: truth.hitId, trackId: junkTracks });
    expect(expected2).toBeGreaterThan(0.3);
    expect(expected2).toBeLessThan(0.9);
    const r = runScore(['--truth', truthDir, '--submission', subDir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = lastJson(r.stdout) as {
      events: { event: string; score: number }[];
      meanScore: number;
      unscoredTruthEvents: number;
    };
    expect(out.events.map((e) => e.event)).toEqual(['event000000001', 'event000000002']);
    expect(Math.abs(out.events[0].score - 1)).toBeLessThan(1e-12);
    expect(Math.abs(out.events[1].score - expected2)).toBeLessThan(1e-12);
    expect(Math.abs(out.meanScore - (1 + expected2) / 2)).toBeLessThan(1e-12);
    expect(out.unscoredTruthEvents).toBe(1);
  });

  it('a bad submission prints one line on stderr and exits 2', () => {
    const sub = path.join(tmp, 'missing.csv');
    // All truth hits but the last: the scorer names the missing hit.
    writeFileSync(
      sub,
      submissionCsv({ ...truth, hitId: truth.hitId.subarray(0, truth.hitId.length - 1) }, () => 1n),
    );
    const r = runScore(['--truth', sampleTruthFile, '--submission', sub]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: ${sub}: 1 truth hit(s) missing from the submission, e.g. hit_id ${truth.hitId[truth.hitId.length - 1]}\n`,
    );
  });
});
