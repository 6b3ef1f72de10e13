// Kill and resume, deterministically: the pipeline CLI is SIGKILLed just before each of its renames in turn
// (TRACKML_FAULT_AT_RENAME, src/core/fs.ts); after every kill, whatever sits under a final name is whole, and a rerun
// gives outputs identical to an uninterrupted run's. And a record never vouches for a file another config wrote.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOCK_FILE } from '../../src/core/run-files.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreEvent } from '../../scoring/index.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { makePipelineContext, pipelineConfig, processEvent, runPipeline, summarizeRecords } from '../../src/pipeline/run-pipeline.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { findEvents, readSubmission, readTruth, writeEvent } from '../../src/trackml/index.ts';
import { expectSameOutputs, killAtEveryRename, listFiles, runCli, withoutTimings } from '../fault.ts';
import { tempDir } from '../real-data.ts';

const root = tempDir('trackml-kill-');
const eventsDir = path.join(root, 'events');
const config = path.join(root, 'truth.yaml');
const dir = (name: string) => path.join(root, name);
const EVENTS = ['event000000001', 'event000000002'];
const notTimed = (name: string) => name.startsWith('report.') || name.startsWith('provenance-');

beforeAll(async () => {
  const detector = buildDetectorIndex(loadDetector());
  for (const k of [1, 2]) writeEvent(eventsDir, simulateEvent(detector, simulateConfig({ pileup: 1 }), 21, k), { gzip: false });
  // Two events: the second runs on the tracks worker's overlap path. Plain components for tracks keep each run
  // short (every kill point costs a process start); saving graphs too (three more files per event) is the same
  // commit loop, killed at every rename with the default GNN config in kill-resume.faults.ts (`npm run test:faults`).
  writeFileSync(
    config,
    'scorer: truth\ntruthNoise: 0.3\ntracks:\n  method: components\n  extend: { enabled: false }\n  seeds: { enabled: false }\n  overlaps: { enabled: false }\n',
  );
  await runPipeline({ inputDir: eventsDir, outputDir: dir('reference'), configFile: config, progress: false });
}, 120_000);

describe('pipeline killed at every rename', () => {
  it('leaves only whole files under final names, and a rerun gives the uninterrupted outputs', async () => {
    const ref = dir('reference');
    const points = await killAtEveryRename(
      (n) => runCli('pipeline', ['--input', eventsDir, '--output', dir(`kill-${n}`), '--config', config], n),
      async (n) => {
        const out = dir(`kill-${n}`);
        // Before the rerun: every data file under its final name is the uninterrupted run's, every record too.
        for (const name of listFiles(out).filter((f) => !f.includes('.tmp-') && f !== LOCK_FILE && !notTimed(f))) {
          const [a, b] = [readFileSync(path.join(out, name)), readFileSync(path.join(ref, name))];
          if (name.endsWith('.json')) expect(withoutTimings(JSON.parse(a.toString()))).toEqual(withoutTimings(JSON.parse(b.toString())));
          else expect(a.equals(b), `kill at ${n}: ${name}`).toBe(true);
        }
        const s = await runPipeline({ inputDir: eventsDir, outputDir: out, configFile: config, progress: false });
        expectSameOutputs(out, ref, notTimed);
        expect(listFiles(out).filter((f) => f.includes('.tmp-') || f === LOCK_FILE)).toEqual([]);
        const reportOf = (d: string) => JSON.parse(readFileSync(path.join(d, 'report.json'), 'utf8'));
        expect(reportOf(out).meanScore).toBe(reportOf(ref).meanScore);
        expect(s.events.map((e) => e.eventId)).toEqual(EVENTS);
      },
    );
    // Per event: submission, record; then report.json, report.html, provenance.
    expect(points).toBe(7);
  }, 600_000);
});

describe('a record vouches only for the files it names', () => {
  const x = dir('x.yaml');
  const y = dir('y.yaml');
  const one = (out: string, configFile: string) =>
    runPipeline({ inputDir: eventsDir, outputDir: out, configFile, limit: 1, progress: false });
  const officialScore = (out: string) =>
    scoreEvent(readTruth(findEvents(eventsDir)[0].truth!), readSubmission(path.join(out, `${EVENTS[0]}-submission.csv`))).score;

  it('a run under another config killed between its submission and its record: rerunning the first config recomputes', async () => {
    writeFileSync(x, 'scorer: truth\ntruthNoise: 0.3\n');
    writeFileSync(y, 'scorer: truth\ntruthNoise: 0.7\ntracks:\n  method: components\n');
    const out = dir('row1-kill');
    const first = await one(out, x);
    const r = runCli('pipeline', ['--input', eventsDir, '--output', out, '--config', y, '--limit', '1'], 2);
    expect(r.stderr).toContain('killed at rename 2 (event000000001-record.json.tmp-');
    expect(officialScore(out)).not.toBeCloseTo(first.meanScore!, 6); // config Y's submission, X's record
    const again = await one(out, x);
    expect(again.computedEvents).toBe(1);
    expect(again.meanScore).toBe(first.meanScore);
    expect(officialScore(out)).toBe(again.meanScore);
  }, 120_000);

  it("the same state made by hand (another config's submission beside the record): recomputed, not reported as cached", async () => {
    const a = dir('row1-a');
    const b = dir('row1-b');
    const first = await one(a, x);
    await one(b, y);
    copyFileSync(path.join(b, `${EVENTS[0]}-submission.csv`), path.join(a, `${EVENTS[0]}-submission.csv`));
    const again = await one(a, x);
    expect(again.events[0].cached).toBe(false);
    expect(officialScore(a)).toBe(first.meanScore);
    expect(readdirSync(a).some((f) => f.includes('.tmp-'))).toBe(false);
    expect(existsSync(path.join(a, LOCK_FILE))).toBe(false);
  }, 120_000);

  it("records describe themselves: the run's summary comes back from the records alone", async () => {
    const s = await runPipeline({ inputDir: eventsDir, outputDir: dir('reference'), configFile: config, progress: false });
    const rebuilt = summarizeRecords(eventsDir, dir('reference'));
    expect(rebuilt.meanScore).toBe(s.meanScore);
    expect(rebuilt.counts).toEqual(s.counts);
    expect(rebuilt.scoreHist).toEqual(s.scoreHist);
    expect(rebuilt.meanStageMs).toEqual(s.meanStageMs);
    expect(rebuilt.config).toEqual(s.config);
    expect(rebuilt.events.map((e) => [e.eventId, e.inputs.hits.sha256, e.truth!.score])).toEqual(
      s.events.map((e) => [e.eventId, e.inputs.hits.sha256, e.truth!.score]),
    );
    // One event at a time with a context loaded once, as a queue worker would: the same record, then cached.
    const ctx = await makePipelineContext(dir('single'), pipelineConfig({ configFile: config }), config);
    const files = findEvents(eventsDir)[1];
    const first = await processEvent(ctx, files);
    expect(first.cached).toBe(false);
    const { cached: _cached, ...fromRun } = s.events[1];
    const asStored = (r: unknown) => withoutTimings(JSON.parse(JSON.stringify(r))); // (bin edges: Infinity → null)
    expect(asStored(first.record)).toEqual(asStored(fromRun));
    expect((await processEvent(ctx, files)).cached).toBe(true);
  }, 120_000);
});
