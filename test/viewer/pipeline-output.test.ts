// What a user sees after a run, in Debian's Chromium: (1) the main job (`npm start` with a small config) and then
// `npm run view -- --input <its pipeline output>` — the viewer finds the hits through the output's provenance and
// its first screen shows the pipeline's own tracks, threshold and score for the event; (2) report.html of a
// pipeline run with a freshly trained model: every plot there (training curves included), no console errors, and
// its numbers equal to stage:graphs, stage:infer and stage:score run separately on the same events.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumScoreMetrics, type ScoreMetrics } from '../../src/gnn/metrics.ts';
import { runInferStage, runTrainStage } from '../../src/gnn/stage.ts';
import { runGraphStage } from '../../src/graph/stage.ts';
import type { EdgeMetrics } from '../../src/graph/metrics.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { runScoreStage } from '../../src/pipeline/stages.ts';
import { trackingRates } from '../../src/tracks/metrics.ts';
import { startViewerServer } from '../../viewer/server/server.ts';
import { repoRoot, tempDir } from '../real-data.ts';
import { cliArgv } from '../cli-run.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../bench/chromium.ts';

const root = tempDir('pipeline-output-');
const run = path.join(root, 'run');
let browser: Browser;

beforeAll(async () => {
  const cfg = path.join(root, 'main.yaml');
  writeFileSync(cfg, `output: ${run}\nevents: 2\nseed: 3\nsimulate:\n  pileup: 5\npipeline:\n  saveGraphs: true\n`);
  const main = spawnSync(process.execPath, cliArgv('start', '--config', cfg), { cwd: repoRoot, encoding: 'utf8' });
  if (main.status !== 0) throw new Error(`main job failed: ${main.stderr}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

describe('the viewer on a pipeline output', () => {
  it("view --input <pipeline output> follows its recorded input; the first screen shows the pipeline's tracks, threshold and score", async () => {
    const out = path.join(run, 'pipeline');
    const server = await startViewerServer({ inputDir: out, port: 0 });
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      expect(server.events).toEqual(['event000000001', 'event000000002']);
      for (const id of server.events) {
        const rec = JSON.parse(readFileSync(path.join(out, `${id}-record.json`), 'utf8')) as {
          threshold: number;
          truth: { score: number };
        };
        await page.goto(server.url.replace(/event=\w+/, `event=${id}`));
        await page.evaluate(() => window.viewerReady);
        const s = await page.evaluate(() => ({
          state: window.viewer.state,
          score: window.viewer.stats.score,
          edges: window.viewer.stats.edgesDrawn,
        }));
        expect(s.state.tracks).toBe('submission');
        expect(s.state.threshold).toBe(rec.threshold);
        // The page scores the pipeline's submission itself: the same float as the pipeline's record.
        expect(s.score).toBe(rec.truth.score);
        expect(await page.$eval('#score', (e) => e.textContent)).toContain(rec.truth.score.toFixed(4));
        expect(await page.$eval('#pipeline-score', (e) => e.textContent)).toContain(rec.truth.score.toFixed(4));
        expect(s.edges).toBeGreaterThan(0); // the GNN's edges at the pipeline's threshold
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  });
});

describe('report.html', () => {
  it('shows every plot with no console errors, and its numbers equal the stage commands', async () => {
    const events = path.join(run, 'events');
    // Graphs of the pipeline's own config, a small model trained on them, the pipeline with that model.
    const graphs = path.join(root, 'graphs');
    const g = runGraphStage({
      inputDir: events,
      outputDir: graphs,
      configFile: path.join(repoRoot, 'pipelines', 'graphs-modulemap-pixel.yaml'),
    });
    const trainCfg = path.join(root, 'train.yaml');
    writeFileSync(
      trainCfg,
      `trainDir: ${graphs}\nvalDir: ${graphs}\noutputDir: ${path.join(root, 'model')}\nbackend: wasm\nepochs: 3\nmaxEdgesPerStep: 2000\nlearningRate: 0.01\nmodel: { hidden: 8, iterations: 1, mlpLayers: 2 }\n`,
    );
    await runTrainStage({ configFile: trainCfg });
    const model = path.join(root, 'model', 'best');
    const out = path.join(root, 'report-run');
    const s = await runPipeline({ inputDir: events, outputDir: out, config: { model, backend: 'wasm' }, progress: false });
    const json = JSON.parse(readFileSync(s.reportJson, 'utf8'));
    const inferDir = path.join(root, 'scores');
    const infer = await runInferStage({ inputDir: graphs, outputDir: inferDir, modelPath: model, backend: 'wasm' });
    const scoreCfg = path.join(root, 'score.yaml');
    writeFileSync(scoreCfg, `truth: ${events}\nsubmissions: ${out}\noutput: ${path.join(root, 'score')}\n`);
    const score = runScoreStage(scoreCfg);

    // stage:graphs: the same graphs, so the same efficiency and purity.
    const gm = Object.values(g.metrics) as EdgeMetrics[];
    const h = json.evaluation.headline;
    const sum = (f: (m: EdgeMetrics) => number) => gm.reduce((a, m) => a + f(m), 0);
    expect(h.graph.efficiencyPt1).toBe(sum((m) => m.byPt.pt1.kept) / sum((m) => m.byPt.pt1.segments));
    expect(h.graph.purity).toBe(sum((m) => m.trueEdges) / sum((m) => m.edges));
    // stage:infer at the model's threshold (the pipeline's working point).
    const im = sumScoreMetrics(Object.values(infer.metrics) as ScoreMetrics[]);
    expect(h.workingPoint).toBe(im.threshold);
    for (const k of ['auc', 'efficiency', 'purity', 'efficiencyPt1', 'purityPt1'] as const) expect(h.gnn[k], k).toBe(im[k]);
    // stage:score: the same tracking metrics and mean score.
    expect(json.meanScore).toBe(score.meanScore);
    expect(json.tracking.allHits).toEqual(JSON.parse(JSON.stringify(trackingRates(score.counts))));

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => void ((m.type() === 'error' || m.type() === 'warning') && problems.push(m.text())));
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      await page.goto(`file://${s.reportHtml}`);
      const plots = await page.$$eval('[data-plot]', (els) =>
        els.map((e) => ({
          id: (e as HTMLElement).dataset.plot,
          marks: e.querySelectorAll('svg path, svg line, svg rect, svg text').length,
          w: e.querySelector('svg')?.getBoundingClientRect().width ?? 0,
        })),
      );
      expect(plots.map((p) => p.id)).toEqual([
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
        'training-loss',
        'training-validation',
        'timing',
      ]);
      for (const p of plots) {
        expect(p.w, p.id).toBeGreaterThan(100);
        expect(p.marks, p.id).toBeGreaterThan(10);
      }
      // pT on a log axis, the ROC's false-positive axis too, and the working point named on the ROC.
      expect(await page.$eval('[data-plot="graph-eff-pt"]', (e) => e.textContent)).toContain('log scale');
      expect(await page.$eval('[data-plot="roc"]', (e) => e.textContent)).toMatch(/log scale[\s\S]*working point/);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
