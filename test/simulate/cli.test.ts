// The simulate CLI: user errors print one line and exit 2; a run writes every event's four files (with a record and
// provenance), and splitting a run by --first-event gives byte-identical events (each depends only on seed and number).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.ts';
import { cliArgv } from '../cli-run.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function simulate(args: string[]): { status: number | null; stderr: string } {
  const res = spawnSync(process.execPath, cliArgv('simulate', ...args), {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { status: res.status, stderr: res.stderr };
}

describe('simulate CLI', () => {
  it('rejects bad flags with one line and exit status 2', () => {
    for (const args of [
      ['--output', '/tmp/x', '--events', 'abc', '--seed', '1'],
      ['--output', '/tmp/x', '--events', '1'],
      ['--output', '/tmp/x', '--events', '1', '--seed', '1', '--pileup', '-3'],
      ['--output', '/tmp/x', '--events', '1', '--seed', '1', '--bogus'],
    ]) {
      const { status, stderr } = simulate(args);
      expect(status).toBe(2);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
    }
  });

  it('writes all files, and a split run reproduces the same events', () => {
    const whole = mkdtempSync(path.join(os.tmpdir(), 'sim-cli-'));
    const part = mkdtempSync(path.join(os.tmpdir(), 'sim-cli-'));
    dirs.push(whole, part);
    const run1 = simulate(['--output', whole, '--events', '2', '--seed', '3', '--pileup', '3', '--first-event', '5', '--format', 'csv']);
    expect(run1.status).toBe(0);
    expect(run1.stderr).toMatch(/2\/2 events .* event000000006/);
    // The four TrackML files per event, each event's record (what made it, its files' hashes) and provenance.
    const files = readdirSync(whole).sort();
    expect(files).toEqual([
      ...['event000000005', 'event000000006']
        .flatMap((e) => [...['cells', 'hits', 'particles', 'truth'].map((k) => `${e}-${k}.csv`), `${e}-simulate-record.json`])
        .sort(),
      'provenance-simulate.json',
    ]);
    expect(readFileSync(path.join(whole, 'event000000005-hits.csv'), 'utf8').split('\n')[0]).toBe(
      'hit_id,x,y,z,volume_id,layer_id,module_id',
    );
    const run2 = simulate(['--output', part, '--events', '1', '--seed', '3', '--pileup', '3', '--first-event', '6', '--format', 'csv']);
    expect(run2.status).toBe(0);
    for (const f of readdirSync(part).filter((name) => name.endsWith('.csv'))) {
      expect(readFileSync(path.join(part, f)).equals(readFileSync(path.join(whole, f)))).toBe(true);
    }
  });
});
