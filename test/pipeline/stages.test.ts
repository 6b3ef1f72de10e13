// stage:graphs → (edge scores) → stage:tracks → stage:score on directories gives the same submissions and score
// as the one-process pipeline with the same scorer; reruns skip up-to-date events; stage:simulate resumes.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGraph, scoreFileName } from '../../src/gnn/stage.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { runGraphStage } from '../../src/graph/index.ts';
import { writeFileAtomic } from '../../src/core/fs.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { truthScorer } from '../../src/pipeline/scorers.ts';
import { runScoreStage, runSimulateStage, runTracksStage } from '../../src/pipeline/stages.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { findEvents, writeEvent } from '../../src/trackml/index.ts';
import { tempDir } from '../real-data.ts';

const root = tempDir('trackml-stages-');
const dir = (name: string) => path.join(root, name);

beforeAll(async () => {
  const detector = buildDetectorIndex(loadDetector());
  for (const k of [1, 2]) writeEvent(dir('events'), simulateEvent(detector, simulateConfig({ pileup: 3 }), 9, k));
  // Graph stage with its default graph config (geometric pixel pT > 1); scores from the truth scorer, in the infer
  // stage's format.
  runGraphStage({ inputDir: dir('events'), outputDir: dir('graphs') });
  const scorer = truthScorer(0.3);
  for (const id of ['event000000001', 'event000000002']) {
    const g = readGraph(dir('graphs'), id);
    const score = await scorer.score(g);
    writeFileAtomic(path.join(dir('scores'), scoreFileName(id)), tableToIPC(tableFromArrays({ src: g.src, dst: g.dst, score }), 'file'));
  }
}, 60_000);

describe('tracks and score stages', () => {
  it('match the one-process pipeline and skip up-to-date events on rerun', async () => {
    const tracksYaml = dir('tracks.yaml');
    writeFileSync(
      tracksYaml,
      `input: ${dir('events')}\ngraphs: ${dir('graphs')}\nscores: ${dir('scores')}\noutput: ${dir('subs')}\ntracks:\n  method: resolve\n  threshold: 0.5\n`,
    );
    expect(runTracksStage(tracksYaml)).toEqual({ events: 2, computed: 2 });
    expect(runTracksStage(tracksYaml)).toEqual({ events: 2, computed: 0 });
    // Folders given on the command line need not be in the config (stage:tracks --config X --input D).
    const noInput = dir('tracks-no-input.yaml');
    writeFileSync(noInput, readFileSync(tracksYaml, 'utf8').replace(/^input: .*\n/, ''));
    expect(runTracksStage(noInput, { input: dir('events') })).toEqual({ events: 2, computed: 0 });
    expect(() => runTracksStage(noInput)).toThrow(new RegExp(`^${noInput}: input: `));
    const scoreYaml = dir('score.yaml');
    writeFileSync(scoreYaml, `truth: ${dir('events')}\nsubmissions: ${dir('subs')}\noutput: ${dir('scored')}\n`);
    const staged = runScoreStage(scoreYaml);
    expect(staged.events).toBe(2);

    const one = await runPipeline({
      inputDir: dir('events'),
      outputDir: dir('pipeline'),
      config: { graph: {}, scorer: 'truth', truthNoise: 0.3, tracks: { threshold: 0.5 } },
      progress: false,
    });
    expect(staged.meanScore).toBeCloseTo(one.meanScore!, 12);
    for (const id of ['event000000001', 'event000000002']) {
      expect(readFileSync(path.join(dir('subs'), `${id}-submission.csv`), 'utf8')).toBe(
        readFileSync(path.join(dir('pipeline'), `${id}-submission.csv`), 'utf8'),
      );
    }
    const json = JSON.parse(readFileSync(path.join(dir('scored'), 'score.json'), 'utf8'));
    expect(json.meanScore).toBeCloseTo(staged.meanScore, 12);
  }, 60_000);

  it('stage:simulate writes events and, rerun with more events, simulates only the new ones', () => {
    const yaml = dir('sim.yaml');
    writeFileSync(yaml, `output: ${dir('sim')}\nevents: 1\nseed: 3\nsimulate:\n  pileup: 1\n`);
    expect(runSimulateStage(yaml)).toEqual({ events: 1, computed: 1 });
    writeFileSync(yaml, `output: ${dir('sim')}\nevents: 2\nseed: 3\nsimulate:\n  pileup: 1\n`);
    expect(runSimulateStage(yaml)).toEqual({ events: 2, computed: 1 });
    expect(findEvents(dir('sim')).map((e) => [e.eventId, Boolean(e.hits && e.cells && e.particles && e.truth)])).toEqual([
      ['event000000001', true],
      ['event000000002', true],
    ]);
  }, 60_000);

  it('rejects an unknown key in a stage config with its line', () => {
    const bad = dir('bad.yaml');
    writeFileSync(bad, `input: a\ngraphs: b\nscores: c\noutput: d\nthreshold: 0.5\n`);
    expect(() => runTracksStage(bad)).toThrow(`${bad}:5: threshold: unknown key`);
  });
});
