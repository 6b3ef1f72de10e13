// The GNN-only research path (pipelines/pipeline-gnn-only.yaml) end to end on a small simulated event with the
// shipped whole-detector model and its edge filter: whole-detector ring-map graph → filter → Interaction Network →
// connected components + walks, no seeding. And the guard the issue asks for: the shipped pipelines build the graphs
// (and run the filter) their models were trained on, so a change to either side fails here, not silently in a score.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/core/hash.ts';
import { loadConfig } from '../../src/core/config.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { pipelineConfigSchema } from '../../src/pipeline/pipeline-config.ts';
import { filterMismatch, graphMismatch, runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { writeEvent } from '../../src/trackml/index.ts';
import { trackingRates } from '../../src/tracks/index.ts';
import { repoRoot, tempDir } from '../real-data.ts';

const configFile = (name: string) => path.join(repoRoot, 'pipelines', `${name}.yaml`);
const modelMeta = (dir: string) => JSON.parse(readFileSync(path.join(repoRoot, dir, 'model.json'), 'utf8')).meta;

describe('shipped pipelines build the graphs their models were trained on', () => {
  for (const name of ['pipeline-default', 'pipeline-gnn-only', 'pipeline-pixel-pt1']) {
    it(`${name}: graph builder, detector, map file, pT and margin; the edge filter by weights and threshold`, () => {
      const config = loadConfig(pipelineConfigSchema, configFile(name));
      const meta = modelMeta(config.model);
      const trained = meta.data.train.graphStage.config;
      expect(trained, `${config.model} records no training graph config`).toBeDefined();
      expect(graphMismatch(config.graph, trained)).toBeUndefined();
      // The map the run reads is the one the model's training graphs were built from (same file name, same bytes
      // as far as the repository holds one map of that name).
      expect(path.basename(config.graph.moduleMap.file ?? '')).toBe(path.basename(trained.moduleMap.file));
      const trainedFilter = meta.data.filter;
      if (!config.filter) {
        expect(trainedFilter, `${config.model} was trained behind a filter, ${name} runs none`).toBeUndefined();
        return;
      }
      const filterMeta = modelMeta(config.filter.model);
      const run = {
        model: config.filter.model,
        threshold: config.filter.threshold ?? filterMeta.threshold,
        weightsHash: contentHash([path.join(repoRoot, config.filter.model, 'weights.bin')]),
      };
      expect(filterMismatch(run, trainedFilter)).toBeUndefined();
      // The filter itself was trained on the same graphs.
      expect(graphMismatch(config.graph, filterMeta.data.train.graphStage.config)).toBeUndefined();
    });
  }

  it('a run whose graph or filter differs is named, setting by setting', () => {
    const config = loadConfig(pipelineConfigSchema, configFile('pipeline-gnn-only'));
    const trained = modelMeta(config.model).data.train.graphStage.config;
    const other = {
      ...config.graph,
      moduleMap: { ...config.graph.moduleMap, file: 'trackml-data/module-map/full-pt0.5.arrow', learnMinPtGeV: 0.5 },
    };
    expect(graphMismatch(other, trained)).toBe('moduleMap.file: full-pt1.arrow → full-pt0.5.arrow, moduleMap.learnMinPtGeV: 1 → 0.5');
    expect(graphMismatch({ ...config.graph, marginFraction: 0 } as never, trained)).toBeUndefined();
    expect(graphMismatch({ ...config.graph, moduleMap: { ...config.graph.moduleMap, marginFraction: 0.1 } }, trained)).toBe(
      'moduleMap.marginFraction: 0.05 → 0.1',
    );
    const trainedFilter = modelMeta(config.model).data.filter;
    expect(filterMismatch(undefined, trainedFilter)).toMatch(/trained behind the edge filter/);
    expect(filterMismatch({ ...trainedFilter, threshold: 0.5 }, trainedFilter)).toMatch(/cuts at 0.5/);
    expect(filterMismatch({ ...trainedFilter, weightsHash: 'x' }, trainedFilter)).toMatch(/other filter weights/);
  });
});

describe('GNN-only pipeline on a small simulated event', () => {
  const root = tempDir('trackml-gnn-only-');
  const eventsDir = path.join(root, 'events');
  beforeAll(() => {
    const detector = buildDetectorIndex(loadDetector());
    writeEvent(eventsDir, simulateEvent(detector, simulateConfig({ pileup: 10 }), 77, 1));
  }, 60_000);

  it('tracks it with the shipped model behind its filter, close to the same path with a perfect edge classifier', async () => {
    const config = loadConfig(pipelineConfigSchema, configFile('pipeline-gnn-only'));
    expect(existsSync(path.join(repoRoot, config.model, 'model.json'))).toBe(true);
    const run = (scorer: 'gnn' | 'truth') =>
      runPipeline({
        inputDir: eventsDir,
        outputDir: path.join(root, scorer),
        config: { ...config, scorer, truthNoise: 0 },
        progress: false,
      });
    const gnn = await run('gnn');
    const perfect = await run('truth');
    const g = gnn.events[0];
    expect(g.graphEdges).toBeGreaterThan(1000);
    // Every track comes from scored edges only: the GNN-only score is bounded by the perfect classifier's on the same
    // graph and walk, and the shipped model gets most of the way there.
    expect(gnn.meanScore!).toBeLessThanOrEqual(perfect.meanScore! + 0.02);
    // Measured: 0.469 against 0.503 (pT > 1 efficiency 0.989, no fakes).
    expect(gnn.meanScore!).toBeGreaterThan(0.85 * perfect.meanScore!);
    const pt1 = trackingRates(gnn.counts!).find((r) => r.ptBin === '> 1')!;
    expect(pt1.efficiency).toBeGreaterThan(0.95);
    expect(pt1.fakeRate).toBeLessThan(0.05);
  }, 120_000);
});
