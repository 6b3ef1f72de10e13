// No run reports a cached result for inputs whose content changed: each input kind changed in turn — an event file
// (same size and mtime), a config key of each stage, the model's weights, the module map's contents (same path), the
// detectors file — makes the event be recomputed; an unchanged rerun is cached.
import { cpSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/core/fs.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { edgeScoresToArrow, moduleMapFromArrow, moduleMapToArrow, readGraph, runGraphStage } from '../../src/graph/index.ts';
import { readEdgeScores } from '../../src/core/edge-score-read.ts';
import { runInferStage } from '../../src/gnn/stage.ts';
import { DEFAULT_MODULE_MAP } from '../../src/pipeline/pipeline-config.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { runSimulateStage, runTracksStage } from '../../src/pipeline/stages.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { writeDetectors, writeEvent } from '../../src/trackml/index.ts';
import { tempDir } from '../real-data.ts';

const root = tempDir('trackml-keys-');
const dir = (name: string) => path.join(root, name);
const events = dir('events');
const truth = { scorer: 'truth', truthNoise: 0.3 } as const;
const pipeline = (out: string, config: Record<string, unknown> = {}, input = events) =>
  runPipeline({ inputDir: input, outputDir: dir(out), config: { ...truth, ...config }, progress: false });

/** Rewrites `file` with the last digit 1–8 of one CSV field raised by one, on the first line from `fromLine` whose
 * field has one (a noise hit's weight is 0.0), keeping the file's size and times. */
function changeInPlace(file: string, fromLine: number, field: number): void {
  const st = statSync(file);
  const lines = readFileSync(file, 'latin1').split('\n');
  let lineNo = fromLine;
  while (!/[1-8]/.test(lines[lineNo].split(',')[field])) lineNo++;
  const fields = lines[lineNo].split(',');
  const v = fields[field];
  const at = Math.max(...[...'12345678'].map((d) => v.lastIndexOf(d)));
  fields[field] = v.slice(0, at) + String(Number(v[at]) + 1) + v.slice(at + 1);
  lines[lineNo] = fields.join(',');
  writeFileSync(file, lines.join('\n'), 'latin1');
  utimesSync(file, st.atime, st.mtime);
  // (utimes keeps milliseconds: what a size-and-mtime stamp would compare)
  expect([statSync(file).size, Math.round(statSync(file).mtimeMs)]).toEqual([st.size, Math.round(st.mtimeMs)]);
}

beforeAll(() => {
  writeEvent(events, simulateEvent(buildDetectorIndex(loadDetector()), simulateConfig({ pileup: 1 }), 41, 1), { gzip: false });
}, 120_000);

describe('the pipeline recomputes when an input changed', () => {
  it('an event file rewritten at the same size and mtime', async () => {
    const input = dir('events-copy');
    cpSync(events, input, { recursive: true });
    expect((await pipeline('hits-changed', {}, input)).computedEvents).toBe(1);
    expect((await pipeline('hits-changed', {}, input)).computedEvents).toBe(0);
    changeInPlace(path.join(input, 'event000000001-hits.csv'), 1, 1); // x of the first hit
    expect((await pipeline('hits-changed', {}, input)).computedEvents).toBe(1);
    changeInPlace(path.join(input, 'event000000001-truth.csv'), 1, 8); // weight of the first hit
    expect((await pipeline('hits-changed', {}, input)).computedEvents).toBe(1);
  }, 120_000);

  it('a config key', async () => {
    expect((await pipeline('config-changed', { tracks: { threshold: 0.5 } })).computedEvents).toBe(1);
    expect((await pipeline('config-changed', { tracks: { threshold: 0.5 } })).computedEvents).toBe(0);
    expect((await pipeline('config-changed', { tracks: { threshold: 0.6 } })).computedEvents).toBe(1);
    expect((await pipeline('config-changed', { tracks: { threshold: 0.6 }, report: { scoreBins: 100 } })).computedEvents).toBe(1);
  }, 120_000);

  it("the model's weights (same size, same path)", async () => {
    const model = dir('model');
    cpSync('trackml-data/model', model, { recursive: true });
    const gnn = { scorer: 'gnn', model, backend: 'cpu' };
    expect((await pipeline('weights-changed', gnn)).computedEvents).toBe(1);
    expect((await pipeline('weights-changed', gnn)).computedEvents).toBe(0);
    const weights = path.join(model, 'weights.bin');
    const bytes = readFileSync(weights);
    new Float32Array(bytes.buffer, bytes.byteOffset, 1)[0] += 0.25;
    writeFileSync(weights, bytes);
    expect((await pipeline('weights-changed', gnn)).computedEvents).toBe(1);
  }, 180_000);

  it("the module map's contents at the same path", async () => {
    const map = dir('map.arrow');
    cpSync(DEFAULT_MODULE_MAP, map);
    const graph = { builder: 'moduleMap', detector: 'pixel', moduleMap: { file: map, marginFraction: 0.1, learnMinPtGeV: 1 } };
    expect((await pipeline('map-changed', { graph })).computedEvents).toBe(1);
    expect((await pipeline('map-changed', { graph })).computedEvents).toBe(0);
    const detector = buildDetectorIndex(loadDetector());
    const learned = moduleMapFromArrow(readFileSync(map), detector);
    writeFileSync(map, moduleMapToArrow(learned, detector, { source: 'the same map, written again with other metadata' }));
    expect((await pipeline('map-changed', { graph })).computedEvents).toBe(1);
  }, 120_000);

  it('the detectors file', async () => {
    const detectors = dir('detectors.csv');
    writeDetectors(detectors, loadDetector());
    const graph = { detectorsFile: detectors };
    expect((await pipeline('detectors-changed', { graph })).computedEvents).toBe(1);
    expect((await pipeline('detectors-changed', { graph })).computedEvents).toBe(0);
    changeInPlace(detectors, 18000, 3); // a module's centre x
    expect((await pipeline('detectors-changed', { graph })).computedEvents).toBe(1);
  }, 120_000);
});

describe('each stage command recomputes when a config key or an input changed', () => {
  it('stage:graphs → stage:infer → stage:tracks, and stage:simulate', async () => {
    const graphsYaml = dir('graphs.yaml');
    writeFileSync(graphsYaml, 'preset: pt1\n');
    const graphs = () => runGraphStage({ inputDir: events, outputDir: dir('graphs'), configFile: graphsYaml }).computed;
    expect([graphs(), graphs()]).toEqual([1, 0]);
    writeFileSync(graphsYaml, 'preset: pt0.5\n');
    expect(graphs()).toBe(1);

    const infer = async (threshold: number) =>
      (
        await runInferStage({
          inputDir: dir('graphs'),
          outputDir: dir('scores'),
          modelPath: 'trackml-data/model',
          backend: 'cpu',
          threshold,
        })
      ).computed;
    expect([await infer(0.5), await infer(0.5), await infer(0.6)]).toEqual([1, 0, 1]);
    expect([graphs(), await infer(0.6)]).toEqual([0, 0]);

    const tracksYaml = dir('tracks.yaml');
    const tracks = (method: string) => {
      writeFileSync(
        tracksYaml,
        `input: ${events}\ngraphs: ${dir('graphs')}\nscores: ${dir('scores')}\noutput: ${dir('subs')}\ntracks:\n  method: ${method}\n`,
      );
      return runTracksStage(tracksYaml).computed;
    };
    expect([tracks('resolve'), tracks('resolve'), tracks('components')]).toEqual([1, 0, 1]);
    // New scores of the same size: the key holds the score file's content.
    const scoreFile = path.join(dir('scores'), 'event000000001-edge-scores.arrow');
    const scores = readEdgeScores(scoreFile);
    scores[0] = 1 - scores[0];
    writeFileAtomic(scoreFile, edgeScoresToArrow(readGraph(dir('graphs'), 'event000000001'), scores));
    expect(tracks('components')).toBe(1);

    const simYaml = dir('sim.yaml');
    const simulate = (pileup: number) => {
      writeFileSync(simYaml, `output: ${dir('sim')}\nevents: 1\nseed: 2\ngzip: false\nsimulate:\n  pileup: ${pileup}\n`);
      return runSimulateStage(simYaml).computed;
    };
    mkdirSync(dir('sim'), { recursive: true });
    expect([simulate(1), simulate(1), simulate(2)]).toEqual([1, 0, 1]);
  }, 240_000);
});
