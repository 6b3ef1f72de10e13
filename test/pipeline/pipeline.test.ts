// The pipeline end to end on small simulated events with truth-derived edge scores: one submission per event
// covering every hit, report.json/html, the cache (rerun skips, a deleted output is redone alone), a crash
// mid-run that loses nothing and leaves no partial file, and a bad config as one line with exit 2.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreEvent } from '../../scoring/index.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { runPipeline, type PipelineOptions } from '../../src/pipeline/run-pipeline.ts';
import { truthScorer, type EdgeScorer } from '../../src/pipeline/scorers.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { findEvents, readHits, readSubmission, readTruth, writeEvent } from '../../src/trackml/index.ts';
import { repoRoot, tempDir } from '../real-data.ts';
import { cliArgv } from '../cli-run.ts';

const root = tempDir('trackml-pipeline-');
const eventsDir = path.join(root, 'events');
const config = { scorer: 'truth', truthNoise: 0.3 } as const; // ±0.3: still separable at 0.5
const opts = (outputDir: string, extra: Partial<PipelineOptions> = {}): PipelineOptions => ({
  inputDir: eventsDir,
  outputDir,
  config,
  progress: false,
  ...extra,
});

// A tiny pile-up keeps each event at a few thousand hits; event 1 gzipped, event 2 plain .csv.
beforeAll(() => {
  const detector = buildDetectorIndex(loadDetector());
  for (const k of [1, 2]) writeEvent(eventsDir, simulateEvent(detector, simulateConfig({ pileup: 3 }), 5, k), { gzip: k === 1 });
}, 60_000);

describe('runPipeline', () => {
  it('writes a submission covering every hit, scores it, and writes report.json and a self-contained report.html', async () => {
    const out = path.join(root, 'run-a');
    const s = await runPipeline(opts(out));
    expect(s.events.map((e) => e.eventId)).toEqual(['event000000001', 'event000000002']);
    expect(s.computedEvents).toBe(2);
    for (const files of findEvents(eventsDir)) {
      const sub = readSubmission(path.join(out, `${files.eventId}-submission.csv`));
      const hits = readHits(files.hits!);
      expect([...sub.hitId].sort((a, b) => a - b)).toEqual([...hits.hitId].sort((a, b) => a - b));
      // The recorded score is the official score of the file on disk.
      const rec = s.events.find((e) => e.eventId === files.eventId)!;
      expect(rec.truth!.score).toBeCloseTo(scoreEvent(readTruth(files.truth!), sub).score, 12);
      expect(rec.truth!.score).toBeGreaterThan(0.1);
    }
    const json = JSON.parse(readFileSync(s.reportJson, 'utf8'));
    expect(json.meanScore).toBeCloseTo(s.meanScore!, 12);
    expect(Object.keys(json.meanStageMs)).toEqual(['read', 'graph', 'gnn', 'tracks', 'write']);
    expect(s.summaryLine).toMatch(/s\/event .* vs TrackML throughput winner 0.38 s\/event on 2 threads at score 0.945/);
    const html = readFileSync(s.reportHtml, 'utf8');
    const plots = [...html.matchAll(/class="fig" data-plot="([a-z-]+)"/g)].map((m) => m[1]);
    // The truth scorer has no training history: every other plot is there, each with its SVG.
    expect(plots).toEqual([
      'graph-eff-pt',
      'graph-eff-eta',
      'edge-pt',
      'edge-eta',
      'track-eff-pt',
      'track-eff-eta',
      'track-rates-pt',
      'track-rates-eta',
      'edge-eff-rz',
      'score-hist',
      'roc',
      'confusion',
      'timing',
    ]);
    expect((html.match(/<svg/g) ?? []).length).toBe(plots.length);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // no script, nothing fetched
    expect(existsSync(path.join(out, 'provenance-pipeline.json'))).toBe(true);
  }, 60_000);

  it('gives the same submissions whatever the parallelism: events on 2 workers, tracks on a worker, all inline with the GNN on 2 threads', async () => {
    for (const scorer of ['truth', 'gnn'] as const) {
      const run = (dir: string, extra: object) =>
        runPipeline(opts(path.join(root, `${dir}-${scorer}`), { config: { ...config, scorer, ...extra } }));
      const pooled = await run('run-pool', { workers: 2 });
      const overlap = await run('run-overlap', { workers: 1 });
      const inline = await run('run-inline', { overlap: false, gnnThreads: 2 });
      expect([pooled.overlapped, pooled.parallelEvents]).toEqual([true, 2]);
      expect([overlap.overlapped, overlap.parallelEvents]).toEqual([true, undefined]);
      expect(inline.overlapped).toBe(false);
      for (const id of ['event000000001', 'event000000002']) {
        const read = (dir: string) => readFileSync(path.join(root, `${dir}-${scorer}`, `${id}-submission.csv`), 'utf8');
        expect(read('run-pool'), `${scorer} ${id}`).toBe(read('run-inline'));
        expect(read('run-overlap'), `${scorer} ${id}`).toBe(read('run-inline'));
      }
      expect(pooled.wallMsPerEvent).toBeGreaterThan(0);
      expect(pooled.summaryLine).toContain('2 events at a time on worker threads');
      expect(overlap.summaryLine).toContain("tracks overlap the next event's GNN");
      // The timeline (provenance): the first event's hits read on the tracks worker while the context loaded, its
      // tracks there too; the last event's tracks on the main thread (nothing left to prepare there).
      const prov = JSON.parse(readFileSync(path.join(root, `run-overlap-${scorer}`, 'provenance-pipeline.json'), 'utf8'));
      const timeline = prov.results.timeline as [string, string, number, number, number][];
      const at = (id: string, stage: string) => timeline.filter((r) => r[0] === id && r[1] === stage);
      for (const id of ['event000000001', 'event000000002'])
        for (const stage of ['read', 'graph', 'gnn', 'tracks', 'write', 'commit']) expect(at(id, stage), `${id} ${stage}`).toHaveLength(1);
      expect(at('event000000001', 'read')[0][2]).not.toBe(0);
      expect(at('event000000001', 'tracks')[0][2]).not.toBe(0);
      expect(at('event000000002', 'tracks')[0][2]).toBe(0);
      for (const [, , , start, end] of timeline) expect(end).toBeGreaterThanOrEqual(start);
      expect(at('event000000001', 'gnn')[0][3]).toBeGreaterThanOrEqual(at('event000000001', 'graph')[0][4]);
    }
  }, 400_000); // six pipeline runs, two with worker threads that each load a model: minutes on a busy box

  it('skips up-to-date events and redoes only an event whose output was deleted', async () => {
    const out = path.join(root, 'run-b');
    await runPipeline(opts(out));
    const first = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    const again = await runPipeline(opts(out));
    expect(again.computedEvents).toBe(0);
    // A cached re-run reports the timing of the run that computed the events, in the same terms.
    const second = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(second.wallSecondsPerEvent).toBe(first.wallSecondsPerEvent);
    expect(second.meanStageMs).toEqual(first.meanStageMs);
    expect(second.summary).toBe(first.summary);
    rmSync(path.join(out, 'event000000002-submission.csv'));
    const third = await runPipeline(opts(out));
    expect(third.events.map((e) => [e.eventId, e.cached])).toEqual([
      ['event000000001', true],
      ['event000000002', false],
    ]);
    // A different config is a different cache key: everything is redone.
    const other = await runPipeline(opts(out, { config: { ...config, tracks: { method: 'components' } } }));
    expect(other.computedEvents).toBe(2);
  }, 180_000);

  it('after a crash mid-run keeps the finished event, leaves no partial file, and resumes with the rest', async () => {
    const out = path.join(root, 'run-c');
    const good = truthScorer(0.3);
    const crashing: EdgeScorer = {
      ...good,
      score: async (g) => {
        if (g.eventId === 'event000000002') throw new Error('killed');
        return good.score(g);
      },
    };
    await expect(runPipeline(opts(out, { scorer: crashing }))).rejects.toThrow('killed');
    expect(readdirSync(out).sort()).toEqual(['event000000001-record.json', 'event000000001-submission.csv']);
    // A temp file a SIGKILL could leave behind is cleared on the next run.
    writeFileSync(path.join(out, 'event000000002-submission.csv.tmp-99999'), 'hit_id,track_id\n1,');
    const resumed = await runPipeline(opts(out, { scorer: good }));
    expect(resumed.events.map((e) => e.cached)).toEqual([true, false]);
    expect(readdirSync(out).some((f) => f.includes('.tmp-'))).toBe(false);
  }, 60_000);
});

describe('runPipeline without truth', () => {
  it('tracks a hits-only directory and writes the report without a score', async () => {
    const hitsOnly = path.join(root, 'hits-only');
    mkdirSync(hitsOnly, { recursive: true });
    const files = findEvents(eventsDir)[0];
    copyFileSync(files.hits!, path.join(hitsOnly, path.basename(files.hits!)));
    // The truth scorer needs truth; a fixed scorer stands in for the model here.
    const constant: EdgeScorer = { id: 'const', label: 'constant 0.9', score: async (g) => new Float32Array(g.src.length).fill(0.9) };
    const s = await runPipeline({ inputDir: hitsOnly, outputDir: path.join(root, 'run-hits'), scorer: constant, progress: false });
    expect(s.meanScore).toBeUndefined();
    expect(s.summaryLine).toContain('no truth (not scored)');
    const sub = readSubmission(path.join(root, 'run-hits', `${files.eventId}-submission.csv`));
    expect(sub.hitId.length).toBe(readHits(files.hits!).hitId.length);
    expect(readFileSync(s.reportHtml, 'utf8')).toContain('not scored');
  }, 60_000);
});

describe('pipeline CLI', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, cliArgv('pipeline', ...args), { cwd: repoRoot, encoding: 'utf8' });

  it('rejects an unknown config key with one line naming file and line, exit 2', () => {
    const cfg = path.join(root, 'bad.yaml');
    writeFileSync(cfg, 'scorer: truth\ntracks:\n  methd: paths\n');
    const r = cli(['--input', eventsDir, '--output', path.join(root, 'run-bad'), '--config', cfg]);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${cfg}:3:`);
    expect(lines[0]).toMatch(/tracks\.methd: unknown key/);
    expect(existsSync(path.join(root, 'run-bad'))).toBe(false);
  }, 30_000);

  it('rejects a missing --output as a usage error, exit 2', () => {
    const r = cli(['--input', eventsDir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --output is required/);
  }, 30_000);
});
