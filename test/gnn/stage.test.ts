// The stages end to end on toy graph files: train from a YAML config (checkpoints, history, provenance, resume),
// infer to per-event score files, and the CLIs' one-line errors.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { graphToArrow } from '../../src/graph/arrow-io.ts';
import { loadModel } from '../../src/gnn/checkpoint.ts';
import { classifyEdges } from '../../src/gnn/infer.ts';
import { filterGraph } from '../../src/gnn/filter.ts';
import { filterWeightsHash, runInferStage, runTrainStage, scoreFileName } from '../../src/gnn/stage.ts';
import { filterMismatch } from '../../src/pipeline/run-pipeline.ts';
import { gnnScorer } from '../../src/pipeline/scorers.ts';
import { toyGraph } from './helpers.ts';
import { cliArgv } from '../cli-run.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gnn-stage-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writeGraphs(dir: string, seeds: number[]): void {
  for (const s of seeds) {
    const g = toyGraph(60, 240, s);
    g.eventId = `event00000000${s}`;
    const bytes = graphToArrow(g);
    writeFileSync(path.join(dir, `${g.eventId}-nodes.arrow`), bytes.nodes, { flag: 'w' });
    writeFileSync(path.join(dir, `${g.eventId}-edges.arrow`), bytes.edges, { flag: 'w' });
  }
}

describe('train and infer stages', () => {
  const trainDir = path.join(tmp, 'train');
  const valDir = path.join(tmp, 'val');
  const outDir = path.join(tmp, 'run');
  const configFile = path.join(tmp, 'train.yaml');

  it('trains from a config, writes best/, last/, history and provenance, and resumes', async () => {
    for (const d of [trainDir, valDir]) mkdirSync(d, { recursive: true });
    writeGraphs(trainDir, [1, 2]);
    writeGraphs(valDir, [3]);
    const yaml = (epochs: number): string =>
      `trainDir: ${trainDir}\nvalDir: ${valDir}\noutputDir: ${outDir}\nbackend: wasm\nepochs: ${epochs}\nmaxEdgesPerStep: 120\n` +
      `learningRate: 0.02\nmodel: { hidden: 8, iterations: 1, mlpLayers: 2 }\n`;
    writeFileSync(configFile, yaml(2));
    const r = await runTrainStage({ configFile });
    expect(r.backend).toBe('wasm');
    expect(r.epochs).toBe(2);
    for (const f of [
      'best/model.json',
      'best/weights.bin',
      'last/optimizer.bin',
      'last/train-state.json',
      'history.json',
      'provenance-train.json',
    ])
      expect(existsSync(path.join(outDir, f)), f).toBe(true);
    const { file } = loadModel(path.join(outDir, 'best'));
    expect(file.parameterCount).toBe(r.parameters);
    expect(typeof file.meta.codeVersion).toBe('string');
    expect((file.meta.data as { train: { events: string[] } }).train.events).toEqual(['event000000001', 'event000000002']);
    writeFileSync(configFile, yaml(3));
    const resumed = await runTrainStage({ configFile, resume: true });
    expect(resumed.epochs).toBe(3);
    const history = JSON.parse(readFileSync(path.join(outDir, 'history.json'), 'utf8')) as { epoch: number }[];
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3]);
  });

  it('fine-tunes from a saved model (initFrom): its weights, a fresh epoch count; another model shape is an error', async () => {
    const ftDir = path.join(tmp, 'ft');
    const ftConfig = path.join(tmp, 'ft.yaml');
    const yaml = (hidden: number): string =>
      `trainDir: ${trainDir}\nvalDir: ${valDir}\noutputDir: ${ftDir}\ninitFrom: ${path.join(outDir, 'best')}\nbackend: wasm\nepochs: 1\n` +
      `maxEdgesPerStep: 120\nlearningRate: 1e-9\nmodel: { hidden: ${hidden}, iterations: 1, mlpLayers: 2 }\n`;
    writeFileSync(ftConfig, yaml(8));
    const r = await runTrainStage({ configFile: ftConfig });
    expect(r.epochs).toBe(1);
    // With a vanishing learning rate the fine-tuned model still scores like the one it started from (a fresh
    // model from the seed would not).
    const g = toyGraph(60, 240, 3);
    const before = await classifyEdges(g, loadModel(path.join(outDir, 'best')).model);
    const after = await classifyEdges(g, loadModel(path.join(ftDir, 'best')).model);
    for (let e = 0; e < before.length; e++) expect(after[e]).toBeCloseTo(before[e], 4);
    writeFileSync(ftConfig, yaml(4));
    await expect(runTrainStage({ configFile: ftConfig })).rejects.toThrow(/differs from the one of initFrom .*cannot fine-tune/);
  });

  it('writes one score file per graph whose scores match classifyEdges', async () => {
    const scoresDir = path.join(tmp, 'scores');
    const r = await runInferStage({
      inputDir: valDir,
      outputDir: scoresDir,
      modelPath: path.join(outDir, 'best'),
      backend: 'wasm',
      chunkEdges: 1000,
    });
    expect(r.events).toBe(1);
    const t = tableFromIPC(readFileSync(path.join(scoresDir, scoreFileName('event000000003'))));
    expect(t.numRows).toBe(240);
    const g = toyGraph(60, 240, 3);
    const expected = await classifyEdges(g, loadModel(path.join(outDir, 'best')).model);
    expect(Array.from(t.getChild('score')!.toArray() as Float32Array)).toEqual(Array.from(expected));
    expect(Array.from(t.getChild('src_hit_id')!.toArray() as Uint32Array).slice(0, 5)).toEqual(Array.from(g.src.slice(0, 5), (s) => s + 1));
    expect(r.metrics.event000000003.edges).toBe(240);
    expect(existsSync(path.join(scoresDir, 'provenance-infer.json'))).toBe(true);
  });

  it('--calibrate re-picks the threshold of best/ on the validation graphs and records it', async () => {
    const r = spawnSync(process.execPath, cliArgv('train', '--config', configFile, '--calibrate', '--backend', 'wasm'), {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const m = /^threshold ([\d.]+) on 1 validation graphs/m.exec(r.stdout);
    expect(m).not.toBeNull();
    const { model, file } = loadModel(path.join(outDir, 'best'));
    expect(file.meta.threshold).toBe(Number(m![1]));
    // The recorded validation figures are those of the scores at that threshold.
    const g = toyGraph(60, 240, 3);
    const scores = await classifyEdges(g, model);
    const at = file.meta.validationAtThreshold as { efficiencyPt1: number };
    const t = file.meta.threshold as number;
    const target = Array.from(g.y!).filter((y) => y === 1).length;
    const kept = Array.from(g.y!).filter((y, e) => y === 1 && scores[e] >= t).length;
    expect(at.efficiencyPt1).toBeCloseTo(kept / target, 6);
    // --val DIR calibrates on other graphs (here the two training graphs) and records which.
    const other = spawnSync(
      process.execPath,
      cliArgv('train', '--config', configFile, '--calibrate', '--val', trainDir, '--backend', 'wasm'),
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(other.status).toBe(0);
    expect(other.stdout).toMatch(/^threshold [\d.]+ on 2 validation graphs/m);
    const used = loadModel(path.join(outDir, 'best')).file.meta.validationAtThreshold as { graphs: string[] };
    expect(used.graphs).toEqual(['event000000001', 'event000000002']);
  });

  it('trains an edge filter (threshold keeping a share of target edges) and a model behind it, which records the filter', async () => {
    const filterDir = path.join(tmp, 'filter');
    const filterConfig = path.join(tmp, 'filter.yaml');
    writeFileSync(
      filterConfig,
      `trainDir: ${trainDir}\nvalDir: ${valDir}\noutputDir: ${filterDir}\nbackend: wasm\nepochs: 2\nmaxEdgesPerStep: 120\n` +
        `learningRate: 0.02\nfilterEfficiency: 0.9\nmodel: { hidden: 8, iterations: 0, mlpLayers: 2 }\n`,
    );
    await runTrainStage({ configFile: filterConfig });
    const filter = loadModel(path.join(filterDir, 'best'));
    const t = filter.file.meta.threshold as number;
    const val = toyGraph(60, 240, 3);
    const fs = await classifyEdges(val, filter.model);
    const targets = Array.from(val.y!).filter((y) => y === 1).length;
    const keptAt = (th: number) => Array.from(val.y!).filter((y, e) => y === 1 && fs[e] >= th).length / targets;
    // The highest threshold on the 0.001 grid that keeps ≥ 90 % of the true edges.
    expect(keptAt(t)).toBeGreaterThanOrEqual(0.9);
    if (t < 1) expect(keptAt(t + 0.001)).toBeLessThan(0.9);

    const behindDir = path.join(tmp, 'behind');
    const behindConfig = path.join(tmp, 'behind.yaml');
    writeFileSync(
      behindConfig,
      `trainDir: ${trainDir}\nvalDir: ${valDir}\noutputDir: ${behindDir}\nbackend: wasm\nepochs: 1\nmaxEdgesPerStep: 120\n` +
        `learningRate: 0.02\nmodel: { hidden: 8, iterations: 1, mlpLayers: 2 }\nfilter: { model: ${path.join(filterDir, 'best')} }\n`,
    );
    await runTrainStage({ configFile: behindConfig });
    const behind = loadModel(path.join(behindDir, 'best'));
    const data = behind.file.meta.data as { train: { edges: number }; filter: { threshold: number; weightsHash: string } };
    expect(data.filter.threshold).toBe(t);
    expect(data.filter.weightsHash).toBe(filterWeightsHash(path.join(filterDir, 'best')));
    // Trained on what the filter keeps of the two 240-edge training graphs.
    let kept = 0;
    for (const seed of [1, 2]) {
      const g = toyGraph(60, 240, seed);
      kept += (await filterGraph(g, filter.model, t)).kept.length;
    }
    expect(data.train.edges).toBe(kept);
    expect(kept).toBeLessThan(480);
    // The pipeline's scorer behind the filter: dropped edges score 0, kept ones what the model gives them.
    const scorer = await gnnScorer(path.join(behindDir, 'best'), 'wasm', undefined, { model: path.join(filterDir, 'best') });
    expect(filterMismatch(scorer.filter, scorer.trainedFilter)).toBeUndefined();
    const full = await scorer.score(val);
    const f = await filterGraph(val, filter.model, t);
    const own = await classifyEdges(f.graph, behind.model);
    const keptSet = new Set(f.kept);
    for (let e = 0; e < full.length; e++) if (!keptSet.has(e)) expect(full[e]).toBe(0);
    f.kept.forEach((e, k) => expect(full[e]).toBeCloseTo(own[k], 6));
    const noFilter = await gnnScorer(path.join(behindDir, 'best'), 'wasm');
    expect(filterMismatch(noFilter.filter, noFilter.trainedFilter)).toMatch(/trained behind the edge filter .* this run has none/);
  });

  it('training on graphs without truth labels names the file that lacks them (issue 22, row 13)', async () => {
    const unlabelled = path.join(tmp, 'unlabelled');
    mkdirSync(unlabelled, { recursive: true });
    const g = toyGraph(20, 40, 7);
    g.eventId = 'event000000007';
    delete g.y;
    const bytes = graphToArrow(g);
    writeFileSync(path.join(unlabelled, `${g.eventId}-nodes.arrow`), bytes.nodes);
    writeFileSync(path.join(unlabelled, `${g.eventId}-edges.arrow`), bytes.edges);
    const cfg = path.join(tmp, 'unlabelled.yaml');
    writeFileSync(cfg, `trainDir: ${unlabelled}\nvalDir: ${unlabelled}\noutputDir: ${path.join(tmp, 'never')}\nbackend: cpu\n`);
    await expect(runTrainStage({ configFile: cfg })).rejects.toThrow(
      `${path.join(unlabelled, 'event000000007-edges.arrow')}: no truth labels (column y); training needs simulated or truth-labelled events`,
    );
    expect(existsSync(path.join(tmp, 'never'))).toBe(false);
  });

  it('CLIs turn bad input into one line and exit status 2', () => {
    const run = ([command, ...args]: string[]) =>
      spawnSync(process.execPath, cliArgv(command, ...args), { cwd: repoRoot, encoding: 'utf8' });
    const missing = run(['stage-infer', '--input', tmp, '--output', tmp, '--model', path.join(tmp, 'nope'), '--backend', 'cpu']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*nope\/model\.json: model file not found\n$/);
    const badBackend = run(['train', '--config', configFile, '--backend', 'tpu']);
    expect(badBackend.status).toBe(2);
    expect(badBackend.stderr).toBe(
      'error: --backend must be one of auto, tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu, got "tpu" (npm run train -- --help lists the flags)\n',
    );
  });
});
