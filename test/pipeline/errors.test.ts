// User errors keep their form wherever they happen: across the tracks worker thread (an InputError stays one, a crash
// keeps its own stack), on output paths (a file in the way is one line before any work), and when input files of
// different events are paired (truth vs hits, graphs vs hits: one line naming both, nothing written).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { writeFileAtomic } from '../../src/core/fs.ts';
import { edgeScoresToArrow, graphToArrow, readGraph, runGraphStage } from '../../src/graph/index.ts';
import { runInferStage, runTrainStage } from '../../src/gnn/stage.ts';
import { runExport } from '../../src/interop/export.ts';
import { prepareEvent } from '../../src/pipeline/process-event.ts';
import { makePipelineContext, pipelineConfig, runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { truthScorer } from '../../src/pipeline/scorers.ts';
import { runTracksStage } from '../../src/pipeline/stages.ts';
import { TracksWorker } from '../../src/pipeline/tracks-worker.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { findEvents, writeEvent, type Truth } from '../../src/trackml/index.ts';
import { runCli } from '../fault.ts';
import { tempDir } from '../real-data.ts';
import { toyGraph } from '../gnn/helpers.ts';

const root = tempDir('trackml-errors-');
const dir = (name: string) => path.join(root, name);
const config = dir('truth.yaml');
const events = dir('events');
const truthConfig = { scorer: 'truth', truthNoise: 0.3 } as const;

beforeAll(() => {
  const detector = buildDetectorIndex(loadDetector());
  for (const k of [1, 2]) writeEvent(events, simulateEvent(detector, simulateConfig({ pileup: 1 }), 31, k), { gzip: false });
  // The same event ids from another seed: graphs of these do not belong to the hits above.
  writeEvent(dir('other'), simulateEvent(detector, simulateConfig({ pileup: 1 }), 32, 1), { gzip: false });
  writeFileSync(config, 'scorer: truth\ntruthNoise: 0.3\n');
  // Event 2's truth without its last 10 rows: truth and hits of different files.
  mkdirSync(dir('bad'));
  for (const f of readdirSync(events)) writeFileSync(path.join(dir('bad'), f), readFileSync(path.join(events, f)));
  const truth = path.join(dir('bad'), 'event000000002-truth.csv');
  writeFileSync(truth, readFileSync(truth, 'utf8').trimEnd().split('\n').slice(0, -10).join('\n') + '\n');
}, 120_000);

const lines = (stderr: string) => stderr.trim().split('\n');

describe('errors across the tracks worker', () => {
  it("an InputError in the worker comes back as an InputError; a crash comes back with the worker's stack", async () => {
    const ctx = await makePipelineContext(dir('w'), pipelineConfig({ config: truthConfig }), 'test');
    const job = await prepareEvent(ctx, findEvents(events)[0]);
    const t = job.event.truth!;
    const cut = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, (v as Uint32Array).slice(0, -10)])) as unknown as Truth;
    const worker = new TracksWorker();
    // finish() hands the job's buffers over to the worker (they are gone from this thread after it): each call gets a copy.
    const fresh = () => structuredClone(job);
    try {
      const userError = await worker.finish({ ...fresh(), event: { ...fresh().event, truth: cut } }).catch((e: unknown) => e);
      expect(userError).toBeInstanceOf(InputError);
      expect((userError as InputError).message).toMatch(/event000000001-submission\.csv:\d+: hit_id \d+ is not in the truth/);
      const crash = await worker.finish({ ...fresh(), event: { ...fresh().event, hits: undefined as never } }).catch((e: unknown) => e);
      expect(crash).toBeInstanceOf(Error);
      expect((crash as Error).name).toBe('TypeError');
      expect(crash).not.toBeInstanceOf(InputError);
      expect((crash as Error).stack).toMatch(/finish-event\.ts/); // the worker's frames, not the main thread's
      const hits = job.event.hits.hitId.length;
      expect((await worker.finish(fresh())).result.hits).toBe(hits); // and the worker lives on
    } finally {
      await worker.close();
    }
  }, 120_000);

  it('CLI, two events, one truth file short of its hits: one line naming truth and hits files, exit 2, that event not written', () => {
    const out = dir('bad-cli');
    const r = runCli('pipeline', ['--input', dir('bad'), '--output', out, '--config', config]);
    expect(r.status).toBe(2);
    // Besides the progress line of the event done before: one line, no stack.
    expect(lines(r.stderr).filter((l) => !l.startsWith('pipeline ['))).toHaveLength(1);
    const truth = path.join(dir('bad'), 'event000000002-truth.csv');
    expect(r.stderr).toContain(`error: ${truth}: `);
    expect(r.stderr).toContain(path.join(dir('bad'), 'event000000002-hits.csv'));
    expect(r.stderr).not.toContain('submission');
    expect(readdirSync(out).filter((f) => f.startsWith('event000000002'))).toEqual([]);
  }, 120_000);
});

describe('truth and hits of different events', () => {
  it("names the truth and hits files, not the pipeline's own submission, and leaves no output behind", async () => {
    const input = dir('bad-one');
    mkdirSync(input);
    for (const k of ['hits', 'truth', 'particles'])
      writeFileSync(path.join(input, `event000000002-${k}.csv`), readFileSync(path.join(dir('bad'), `event000000002-${k}.csv`)));
    const out = dir('bad-one-out');
    const run = runPipeline({ inputDir: input, outputDir: out, config: truthConfig, progress: false });
    await expect(run).rejects.toThrow(InputError);
    await expect(runPipeline({ inputDir: input, outputDir: out, config: truthConfig, progress: false })).rejects.toThrow(
      new RegExp(
        `^${path.join(input, 'event000000002-truth.csv')}: \\d+ rows for the \\d+ hits of ${path.join(input, 'event000000002-hits.csv')}`,
      ),
    );
    expect(readdirSync(out)).toEqual([]);
  }, 120_000);

  it('stage:tracks with graphs built from other hits: one line naming the graph and hits files', async () => {
    runGraphStage({ inputDir: dir('other'), outputDir: dir('other-graphs') });
    const g = readGraph(dir('other-graphs'), 'event000000001');
    writeFileAtomic(
      path.join(dir('other-scores'), 'event000000001-edge-scores.arrow'),
      edgeScoresToArrow(g, await truthScorer(0.3).score(g)),
    );
    const yaml = dir('tracks.yaml');
    const only1 = dir('events-1');
    mkdirSync(only1);
    writeFileSync(path.join(only1, 'event000000001-hits.csv'), readFileSync(path.join(events, 'event000000001-hits.csv')));
    writeFileSync(yaml, `input: ${only1}\ngraphs: ${dir('other-graphs')}\nscores: ${dir('other-scores')}\noutput: ${dir('tracks-out')}\n`);
    expect(() => runTracksStage(yaml)).toThrow(InputError);
    expect(() => runTracksStage(yaml)).toThrow(
      new RegExp(
        `^${path.join(dir('other-graphs'), 'event000000001-nodes.arrow')}: hit_id \\d+ .*${path.join(only1, 'event000000001-hits.csv')}`,
      ),
    );
    expect(readdirSync(dir('tracks-out'))).toEqual([]);
  }, 120_000);
});

describe('output paths', () => {
  const plainFile = () => {
    const f = dir('a-file');
    writeFileSync(f, 'not a directory');
    return f;
  };

  it('pipeline: --output a file, or under a file, and --config a directory: one line before any work', async () => {
    const f = plainFile();
    await expect(runPipeline({ inputDir: events, outputDir: f, config: truthConfig, progress: false })).rejects.toThrow(
      new InputError(f, undefined, 'is a file, not a directory'),
    );
    const under = path.join(f, 'run');
    await expect(runPipeline({ inputDir: events, outputDir: under, config: truthConfig, progress: false })).rejects.toThrow(
      new InputError(under, undefined, `cannot create it: ${f} is a file, not a directory`),
    );
    await expect(runPipeline({ inputDir: events, outputDir: dir('cfg-dir-out'), configFile: events, progress: false })).rejects.toThrow(
      new InputError(events, undefined, 'is a directory, not a config file'),
    );
    const r = runCli('pipeline', ['--input', events, '--output', f, '--config', config]);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([`error: ${f}: is a file, not a directory`]);
  }, 120_000);

  it('pipeline, two events: a directory where a submission goes is one line, not a worker crash', async () => {
    const out = dir('dir-in-the-way');
    mkdirSync(path.join(out, 'event000000001-submission.csv'), { recursive: true });
    await expect(runPipeline({ inputDir: events, outputDir: out, config: truthConfig, progress: false })).rejects.toThrow(
      new InputError(path.join(out, 'event000000001-submission.csv'), undefined, 'cannot write: a directory is in the way'),
    );
  }, 120_000);

  it("stage:graphs and stage:infer: an output under a file names the file, not the temp cleanup's ENOTDIR", async () => {
    const f = plainFile();
    expect(() => runGraphStage({ inputDir: events, outputDir: path.join(f, 'graphs') })).toThrow(
      `cannot create it: ${f} is a file, not a directory`,
    );
    runGraphStage({ inputDir: events, outputDir: dir('graphs') });
    await expect(
      runInferStage({ inputDir: dir('graphs'), outputDir: path.join(f, 'scores'), modelPath: 'trackml-data/model', backend: 'cpu' }),
    ).rejects.toThrow(`cannot create it: ${f} is a file, not a directory`);
  }, 120_000);

  it('export: --output a file where a folder goes, or under a file: one line before any event is read', async () => {
    const out = dir('export-src');
    await runPipeline({ inputDir: events, outputDir: out, config: { ...truthConfig, saveGraphs: true }, progress: false });
    const f = plainFile();
    expect(() => runExport({ to: 'pyg', input: out, output: f })).toThrow(new InputError(f, undefined, 'is a file, not a directory'));
    const under = path.join(f, 'phoenix.json');
    expect(() => runExport({ to: 'phoenix', input: out, output: under })).toThrow(
      new InputError(path.dirname(under), undefined, 'is a file, not a directory'),
    );
    expect(() => runExport({ to: 'kaggle', input: out, output: out })).toThrow(
      new InputError(out, undefined, 'cannot write: is a directory'),
    );
  }, 120_000);

  it('train: outputDir a file, or its last/ a file, stops before the first epoch', async () => {
    for (const d of ['train', 'val']) {
      mkdirSync(dir(d), { recursive: true });
      const g = toyGraph(40, 120, d === 'train' ? 1 : 2);
      const bytes = graphToArrow(g);
      writeFileSync(path.join(dir(d), 'event000000001-nodes.arrow'), bytes.nodes);
      writeFileSync(path.join(dir(d), 'event000000001-edges.arrow'), bytes.edges);
    }
    const f = plainFile();
    const withLastFile = dir('train-out');
    mkdirSync(withLastFile);
    writeFileSync(path.join(withLastFile, 'last'), 'x');
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      for (const [outputDir, message] of [
        [f, `${f}: is a file, not a directory`],
        [withLastFile, `${path.join(withLastFile, 'last')}: is a file, not a directory`],
      ]) {
        const yaml = dir('train.yaml');
        writeFileSync(
          yaml,
          `trainDir: ${dir('train')}\nvalDir: ${dir('val')}\noutputDir: ${outputDir}\nbackend: cpu\nepochs: 1\nmodel: { hidden: 4, iterations: 1, mlpLayers: 1 }\n`,
        );
        await expect(runTrainStage({ configFile: yaml })).rejects.toThrow(message);
      }
      expect(stderr.mock.calls.map((c) => String(c[0])).filter((l) => /epoch 1/.test(l))).toEqual([]);
    } finally {
      stderr.mockRestore();
    }
  }, 120_000);
});
