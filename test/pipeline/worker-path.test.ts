// The per-event unit holds on every path: events computed on the event pool's worker threads (workers: 2) get the
// same outputs and the same self-describing records as events computed inline, are trusted on a rerun, and are
// recomputed when an output no longer matches its record; an input error on a worker stays an InputError (one line,
// exit 2) and leaves the other event committed; a kill at the pool run's first renames resumes to the uninterrupted
// outputs. A record of an older format is recomputed, never trusted.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECORD_FORMAT } from '../../src/core/cache.ts';
import { InputError } from '../../src/core/errors.ts';
import { recordFileName, submissionFileName } from '../../src/core/run-files.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { runPipeline, type EventRecord } from '../../src/pipeline/run-pipeline.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { writeEvent } from '../../src/trackml/index.ts';
import { LOCK_FILE } from '../../src/core/run-files.ts';
import { expectSameOutputs, listFiles, runCli, withoutTimings } from '../fault.ts';
import { tempDir } from '../real-data.ts';

const root = tempDir('trackml-workers-');
const dir = (name: string) => path.join(root, name);
const events = dir('events');
const IDS = ['event000000001', 'event000000002'];
const truth = { scorer: 'truth', truthNoise: 0.3 } as const;
const run = (out: string, extra: Record<string, unknown>, input = events) =>
  runPipeline({ inputDir: input, outputDir: dir(out), config: { ...truth, ...extra }, progress: false });
const record = (out: string, id: string) =>
  JSON.parse(readFileSync(path.join(dir(out), recordFileName(id, 'pipeline')), 'utf8')) as EventRecord;
/** What a record vouches for and found, without how the run ran (config's parallelism, wall times). */
const vouched = (r: EventRecord) =>
  withoutTimings({ inputs: r.inputs, outputs: r.outputs, hits: r.hits, tracks: r.tracks, threshold: r.threshold, truth: r.truth });

beforeAll(() => {
  const detector = buildDetectorIndex(loadDetector());
  for (const k of [1, 2]) writeEvent(events, simulateEvent(detector, simulateConfig({ pileup: 1 }), 51, k), { gzip: false });
}, 120_000);

describe('events on the worker pool', () => {
  it('commit the same outputs and records as inline, are trusted on a rerun, and recomputed when tampered with', async () => {
    const inline = await run('inline', { overlap: false });
    const pooled = await run('pool', { workers: 2 });
    expect(pooled.parallelEvents).toBe(2);
    for (const id of IDS) {
      const [a, b] = [record('inline', id), record('pool', id)];
      expect(b.format).toBe(RECORD_FORMAT);
      expect(vouched(b)).toEqual(vouched(a));
      expect(b.overlapped).toBe(true);
      expect(typeof b.wallMs).toBe('number');
    }
    expect(pooled.meanScore).toBe(inline.meanScore);
    expect((await run('pool', { workers: 2 })).computedEvents).toBe(0);
    // Both submissions swapped for another run's (same events, another noise): both recomputed, on the pool again.
    const other = await run('other', { overlap: false, truthNoise: 0.7 });
    expect(other.meanScore).not.toBe(inline.meanScore);
    for (const id of IDS) copyFileSync(path.join(dir('other'), submissionFileName(id)), path.join(dir('pool'), submissionFileName(id)));
    const again = await run('pool', { workers: 2 });
    expect([again.computedEvents, again.parallelEvents]).toEqual([2, 2]);
    expect(again.meanScore).toBe(inline.meanScore);
    for (const id of IDS)
      expect(readFileSync(path.join(dir('pool'), submissionFileName(id)))).toEqual(
        readFileSync(path.join(dir('inline'), submissionFileName(id))),
      );
  }, 300_000);

  it('an input error on a worker stays an InputError, and the other event is committed', async () => {
    const bad = dir('events-bad');
    mkdirSync(bad);
    for (const id of IDS)
      for (const kind of ['hits', 'cells', 'particles', 'truth'])
        copyFileSync(path.join(events, `${id}-${kind}.csv`), path.join(bad, `${id}-${kind}.csv`));
    const truthFile = path.join(bad, `${IDS[1]}-truth.csv`);
    const lines = readFileSync(truthFile, 'utf8').split('\n');
    writeFileSync(truthFile, [lines[0], ...lines.slice(11)].join('\n')); // 10 rows fewer than hits
    const err = await run('bad', { workers: 2 }, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(`${IDS[1]}-truth.csv`);
    expect(record('bad', IDS[0]).eventId).toBe(IDS[0]);
  }, 300_000);
});

describe('a pool run killed between a submission and its record', () => {
  it('resumes to the uninterrupted outputs (commits happen on the main thread, in completion order)', async () => {
    const yaml = dir('pool.yaml');
    writeFileSync(yaml, 'scorer: truth\ntruthNoise: 0.3\nworkers: 2\n');
    const ref = dir('pool-ref');
    await runPipeline({ inputDir: events, outputDir: ref, configFile: yaml, progress: false });
    const notTimed = (name: string) => name.startsWith('report.') || name.startsWith('provenance-');
    // Killed before rename 2: one submission landed, no record (the record of the event that finished first or the
    // other event's submission was next). One point only: each pool run starts two workers (every rename point with
    // a pool is the same commit loop as the overlap path, killed at every rename in kill-resume.test.ts).
    for (const n of [2]) {
      const out = dir(`pool-kill-${n}`);
      const r = runCli('pipeline', ['--input', events, '--output', out, '--config', yaml], n);
      expect(r.signal, r.stderr.slice(-1000)).toBe('SIGKILL');
      expect(r.stderr).toContain(`fault injection: killed at rename ${n} `);
      const s = await runPipeline({ inputDir: events, outputDir: out, configFile: yaml, progress: false });
      expect(s.computedEvents).toBe(2);
      expectSameOutputs(out, ref, notTimed);
      expect(listFiles(out).filter((f) => f.includes('.tmp-') || f === LOCK_FILE)).toEqual([]);
    }
  }, 300_000);
});

describe('records of an older format', () => {
  it('are recomputed, not trusted, even with the current key and intact outputs', async () => {
    await run('old', { overlap: false });
    const file = path.join(dir('old'), recordFileName(IDS[0], 'pipeline'));
    const current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // This branch's previous format, and main's format 3 (a bare number, no output hashes), each with today's key.
    for (const old of [
      { ...current, format: 'trackml-gnn-record/3' },
      { cacheKey: current.cacheKey, eventId: IDS[0], format: 3, hits: current.hits },
    ]) {
      writeFileSync(file, JSON.stringify(old) + '\n');
      const s = await run('old', { overlap: false });
      expect(s.events.map((e) => e.cached)).toEqual([false, true]);
      expect(record('old', IDS[0]).format).toBe(RECORD_FORMAT);
    }
  }, 120_000);
});
