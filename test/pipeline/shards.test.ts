// Batch-system shards: --shard I/N picks events by a hash of their id (stable when events are added), three
// shards run at once into one output folder, and `merge` gives the one-process run's submissions and report
// numbers. The locks let shards share a folder while keeping a whole-folder run and any shard apart.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lockDir, openRunDir } from '../../src/core/lock.ts';
import { shardLockFile } from '../../src/core/run-files.ts';
import { inShard, parseShard, shardOfEvent } from '../../src/core/shard.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { writeEvent } from '../../src/trackml/index.ts';
import { cliArgv } from '../cli-run.ts';
import { repoRoot, tempDir } from '../real-data.ts';

const root = tempDir('trackml-shards-');
const eventsDir = path.join(root, 'events');
const configFile = path.join(root, 'truth.yaml');
const EVENTS = [1, 2, 3, 4, 5, 6];

beforeAll(() => {
  const detector = buildDetectorIndex(loadDetector());
  for (const k of EVENTS) writeEvent(eventsDir, simulateEvent(detector, simulateConfig({ pileup: 3 }), 7, k));
  writeFileSync(configFile, 'scorer: truth\ntruthNoise: 0.3\n');
}, 60_000);

/** Runs a CLI to its end; resolves with its exit status and output. */
function cli(command: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, cliArgv(command, ...args), { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The report's numbers that do not depend on timing or on which process computed what. */
export function reportNumbers(file: string): unknown {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const timing = new Set(['timingsMs', 'wallMs', 'cached', 'firstOfRun', 'overlapped']);
  const events = (r.events as Record<string, unknown>[]).map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !timing.has(k))));
  return {
    meanScore: r.meanScore,
    tracking: r.tracking,
    counts: r.counts,
    graphCounts: r.graphCounts,
    scoreHist: r.scoreHist,
    roc: r.roc,
    evaluation: r.evaluation,
    events,
  };
}

const submissions = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('-submission.csv'))
    .sort();

describe('shards', () => {
  it('parses I/N and assigns each event id to one shard by hash, whatever else is listed', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(() => parseShard('5/5')).toThrow(/--shard must be I\/N with 0 ≤ I < N .*got "5\/5"/);
    expect(() => parseShard('1')).toThrow(/got "1"/);
    const ids = Array.from({ length: 300 }, (_, i) => ({ eventId: `event${String(1000 + i).padStart(9, '0')}` }));
    const parts = [0, 1, 2].map((index) => inShard(ids, { index, count: 3 }));
    expect(
      parts
        .flat()
        .map((e) => e.eventId)
        .sort(),
    ).toEqual(ids.map((e) => e.eventId));
    for (const p of parts) expect(p.length).toBeGreaterThan(70); // roughly a third each
    // Stable when events are added: the first 100 ids keep their shards in a listing of 300.
    const few = inShard(ids.slice(0, 100), { index: 1, count: 3 });
    expect(few.every((e) => shardOfEvent(e.eventId, 3) === 1)).toBe(true);
    expect(few).toEqual(parts[1].filter((e) => ids.indexOf(e) < 100));
  });

  it('three shards at once into one folder, then merge, equal the one-process run', async () => {
    const ref = path.join(root, 'one');
    const out = path.join(root, 'sharded');
    await runPipeline({ inputDir: eventsDir, outputDir: ref, configFile, progress: false });
    const runs = await Promise.all(
      [0, 1, 2].map((i) => cli('pipeline', '--input', eventsDir, '--output', out, '--config', configFile, '--shard', `${i}/3`)),
    );
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out)).not.toContain('report.json');
    const merged = await cli('merge', '--output', out);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('6 events');
    expect(submissions(out)).toEqual(submissions(ref));
    for (const f of submissions(ref)) expect(readFileSync(path.join(out, f)).equals(readFileSync(path.join(ref, f))), f).toBe(true);
    expect(reportNumbers(path.join(out, 'report.json'))).toEqual(reportNumbers(path.join(ref, 'report.json')));
    expect(readdirSync(out).filter((f) => f.includes('.tmp-') || f.endsWith('.lock'))).toEqual([]);
  }, 240_000);

  it('merge names the events without a record, and a shard and a whole-folder run exclude each other', async () => {
    const out = path.join(root, 'partial');
    const r = await cli('pipeline', '--input', eventsDir, '--output', out, '--config', configFile, '--shard', '0/2');
    expect(r.status, r.stderr).toBe(0);
    const m = await cli('merge', '--output', out);
    expect(m.status).toBe(2);
    expect(m.stderr.trim().split('\n')).toHaveLength(1);
    expect(m.stderr).toMatch(/events of .* have no record yet \(event\d{9}.*\): a shard failed or has not run/);
    // A live shard lock (held here) keeps a whole-folder run out, and the folder lock keeps shards out.
    const release = lockDir(out, shardLockFile({ index: 1, count: 2 }));
    expect(() => openRunDir(out)).toThrow(/in use by shard-1-of-2 \(pid \d+/);
    openRunDir(out, { index: 0, count: 2 })(); // another shard may start (and here ends at once)
    release();
    const whole = openRunDir(out);
    expect(() => openRunDir(out, { index: 1, count: 2 })).toThrow(/in use by a whole-directory run/);
    whole();
  }, 120_000);
});
