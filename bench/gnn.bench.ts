// GNN benchmark: the shipped Interaction Network on held-out simulated full-pileup events (MU = 200, seeds never
// used in training) and on the real sample event — AUC, efficiency/purity on pT > 1 GeV true edges at the model's
// threshold, graph-level efficiency after the cut — then inference time and peak memory per backend on a full
// event's graph (each backend in its own process for an honest peak RSS), and a score-vs-time table over (hidden, K).
// Env: GNN_BENCH_MODEL (default trackml-data/model), GNN_BENCH_TEST (events, default 3),
// GNN_BENCH_TRADEOFF_DIR (runs/ dir holding gnn-tradeoff-h<H>-k<K>/best models, default runs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { graphFromArrow, graphToArrow } from '../src/graph/arrow-io.ts';
import { buildGraph } from '../src/graph/build.ts';
import { graphConfigSchema } from '../src/graph/config.ts';
import type { Graph } from '../src/graph/graph.ts';
import { makeGraphContext } from '../src/graph/stage.ts';
import { selectBackend, type BackendName } from '../src/gnn/backend.ts';
import { loadModel, trainedGraphConfig } from '../src/gnn/checkpoint.ts';
import { classifyEdges } from '../src/gnn/infer.ts';
import { filteredGraphMetrics, scoreMetrics, sumScoreMetrics } from '../src/gnn/metrics.ts';
import { createModel, paramCount } from '../src/gnn/model.ts';
import { phiSectors } from '../src/gnn/train.ts';
import { loadConfig } from '../src/core/config.ts';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { simulateConfig } from '../src/simulate/config.ts';
import { simulateEvent } from '../src/simulate/simulate-event.ts';
import { findEvents, readEvent } from '../src/trackml/index.ts';
import { repoRoot, sharedDataDir, timeIt, writeResult } from './lib.ts';

const log = (s: string): void => void process.stdout.write(s + '\n');
const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

// ---- child mode: time one backend on one graph file, print one JSON line -----------------------------------
if (process.argv[2] === '--child') {
  const [, , , backend, graphBase, modelSpec, repeatsText] = process.argv;
  const rssBefore = process.memoryUsage().rss;
  const report = await selectBackend(backend as BackendName);
  const g = graphFromArrow(readFileSync(`${graphBase}-nodes.arrow`), readFileSync(`${graphBase}-edges.arrow`));
  // modelSpec: a model directory, or "h,k[,triplets]" for an untrained network of that shape (timing does not depend
  // on weights; "triplets" adds the triplet inputs, as the shipped model has them).
  const [h, k, extra] = modelSpec.split(',');
  const model = existsSync(modelSpec)
    ? loadModel(modelSpec).model
    : createModel({ hidden: Number(h), iterations: Number(k), mlpLayers: 2, tripletFeatures: extra === 'triplets' }, 1);
  const rssLoaded = process.memoryUsage().rss;
  const t = await timeIt(() => classifyEdges(g, model), Number(repeatsText));
  process.stdout.write(
    JSON.stringify({
      backend: report.backend,
      edges: g.src.length,
      ...t,
      rssBeforeMiB: mib(rssBefore),
      rssLoadedMiB: mib(rssLoaded),
      peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    }) + '\n',
  );
  process.exit(0);
}

const modelDir = path.resolve(repoRoot, process.env.GNN_BENCH_MODEL ?? 'trackml-data/model');
const nTest = Number(process.env.GNN_BENCH_TEST ?? 3);
const tradeoffDir = path.resolve(repoRoot, process.env.GNN_BENCH_TRADEOFF_DIR ?? 'runs');
if (!existsSync(path.join(modelDir, 'model.json'))) throw new Error(`model missing: ${modelDir}/model.json`);
const sampleDir = path.join(sharedDataDir, 'sample-event');
if (!existsSync(sampleDir)) throw new Error(`real sample event missing: ${sampleDir} (../shared/trackml-data beside the clone)`);

const loadAtStart = os.loadavg();
const auto = await selectBackend('auto');
log(`auto backend: ${auto.backend}`);
const { model, file } = loadModel(modelDir);
const threshold = typeof file.meta.threshold === 'number' ? file.meta.threshold : 0.5;
log(
  `model ${modelDir}: hidden ${model.config.hidden}, K ${model.config.iterations}, ${paramCount(model.config)} parameters, threshold ${threshold}`,
);

// ---- data: the same chain as training (built-in detector simulation, the graph config the model was trained on,
// as recorded in its model.json; pipelines/graphs-modulemap-pixel.yaml, or GNN_BENCH_GRAPH_YAML, when absent) ----------------------------------
const graphConfigFile = path.join(repoRoot, 'pipelines', process.env.GNN_BENCH_GRAPH_YAML ?? 'graphs-modulemap-pixel.yaml');
const yamlGraphConfig = loadConfig(graphConfigSchema, graphConfigFile);
const trainedOn = trainedGraphConfig(file.meta);
const graphConfig = trainedOn ? graphConfigSchema.parse(trainedOn) : yamlGraphConfig;
const graphConfigSource = trainedOn ? 'model.json meta.data.train.graphStage.config' : path.relative(repoRoot, graphConfigFile);
const ctx = makeGraphContext(graphConfig, graphConfigSource);
const det = buildDetectorIndex(loadDetector());
const sim = simulateConfig({ pileup: 200 });
// Training used seed 11 (events 0–15) and validation seed 13; the test events are seed 12 from event 1000 on.
const TEST_SEED = 12;
let t0 = performance.now();
const testEvents = Array.from({ length: nTest }, (_, i) => simulateEvent(det, sim, TEST_SEED, 1000 + i));
const testGraphs: Graph[] = testEvents.map((ev) => buildGraph(ev, ctx, graphConfig));
log(
  `${nTest} test events: graphs of ${testGraphs.map((g) => g.src.length).join(', ')} edges (${((performance.now() - t0) / 1000).toFixed(1)} s), graph config from ${graphConfigSource}`,
);
const sampleFiles = findEvents(sampleDir)[0];
const sampleEvent = readEvent(sampleFiles, ['hits', 'truth', 'particles']);
const sampleGraph = buildGraph(sampleEvent, ctx, graphConfig);
log(`real sample event ${sampleFiles.eventId}: ${sampleGraph.src.length} edges`);
// The graph config in the repo now, when it differs from the training one (does the model carry over?).
const yamlDiffers = JSON.stringify(yamlGraphConfig) !== JSON.stringify(graphConfig);
const yamlCtx = yamlDiffers ? makeGraphContext(yamlGraphConfig, graphConfigFile) : undefined;

// ---- quality ---------------------------------------------------------------------------------------------
async function evaluate(graphs: Graph[], m = model, thr = threshold) {
  const scores: Float32Array[] = [];
  for (const g of graphs) scores.push(await classifyEdges(g, m));
  const perEvent = graphs.map((g, k) => ({ eventId: g.eventId, ...scoreMetrics(g, scores[k], thr) }));
  const graphLevel = graphs.map((g, k) => {
    const gm = filteredGraphMetrics(g, scores[k], thr);
    const before = filteredGraphMetrics(g, new Float32Array(scores[k].length).fill(1), 0);
    return {
      eventId: g.eventId,
      pt1EfficiencyAfterGnn: gm.byPt.pt1.efficiency,
      pt1EfficiencyOfGraph: before.byPt.pt1.efficiency,
      edgesAfterGnn: gm.edges,
    };
  });
  const scan = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((t) => {
    const m = sumScoreMetrics(graphs.map((g, k) => scoreMetrics(g, scores[k], t)));
    return {
      threshold: t,
      efficiencyPt1: m.efficiencyPt1,
      purity: m.purity,
      puritySameParticle: m.puritySameParticle,
      efficiency: m.efficiency,
    };
  });
  return { summed: sumScoreMetrics(perEvent), perEvent, graphLevel, thresholdScan: scan };
}

t0 = performance.now();
const simulated = await evaluate(testGraphs);
const real = await evaluate([sampleGraph]);
const onCurrentYaml = yamlCtx
  ? {
      config: yamlGraphConfig,
      simulated: (await evaluate(testEvents.map((ev) => buildGraph(ev, yamlCtx, yamlGraphConfig)))).summed,
      real: (await evaluate([buildGraph(sampleEvent, yamlCtx, yamlGraphConfig)])).summed,
    }
  : undefined;
if (onCurrentYaml)
  log(
    `on ${path.relative(repoRoot, graphConfigFile)} graphs: simulated eff(pT>1) ${onCurrentYaml.simulated.efficiencyPt1.toFixed(4)}, purity ${onCurrentYaml.simulated.purity.toFixed(4)}; real eff(pT>1) ${onCurrentYaml.real.efficiencyPt1.toFixed(4)}, purity ${onCurrentYaml.real.purity.toFixed(4)}`,
  );
const f4 = (x: number): string => x.toFixed(4);
log(
  `simulated MU=200 (${nTest} events): AUC ${f4(simulated.summed.auc)}, AUC(pT>1) ${f4(simulated.summed.aucPt1)}, eff(pT>1) ${f4(simulated.summed.efficiencyPt1)}, purity ${f4(simulated.summed.purity)} (same-particle ${f4(simulated.summed.puritySameParticle)}) at ${threshold}`,
);
log(
  `real sample event: AUC ${f4(real.summed.auc)}, AUC(pT>1) ${f4(real.summed.aucPt1)}, eff(pT>1) ${f4(real.summed.efficiencyPt1)}, purity ${f4(real.summed.purity)} (same-particle ${f4(real.summed.puritySameParticle)}) at ${threshold}`,
);
log(`quality evaluation ${((performance.now() - t0) / 1000).toFixed(1)} s on ${auto.backend}`);

// ---- inference time and peak memory per backend, each in its own process ------------------------------------
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gnn-bench-'));
function writeGraph(g: Graph, name: string): string {
  const base = path.join(tmp, name);
  const bytes = graphToArrow(g);
  writeFileSync(`${base}-nodes.arrow`, bytes.nodes);
  writeFileSync(`${base}-edges.arrow`, bytes.edges);
  return base;
}
function child(backend: BackendName, graphBase: string, modelSpec: string, repeats: number, timeoutS: number): Record<string, unknown> {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'bench', 'gnn.bench.ts'), '--child', backend, graphBase, modelSpec, String(repeats)],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: timeoutS * 1000,
      env: { ...process.env, EGL_PLATFORM: process.env.EGL_PLATFORM ?? 'surfaceless' },
    },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status === 0 && line.startsWith('{')) return JSON.parse(line) as Record<string, unknown>;
  const why = r.error
    ? `timed out after ${timeoutS} s`
    : (r.stderr
        .trim()
        .split('\n')
        .filter((l) => !/^Warning|^\s+at |^$/.test(l))
        .pop() ?? `exit ${r.status}`);
  return { backend, error: why };
}

const fullEventGraph = testGraphs[0];
const fullBase = writeGraph(fullEventGraph, 'full-pixel');
const backends: Record<string, unknown> = {};
for (const a of auto.attempts.filter((x) => !x.ok && x.backend.startsWith('tfjs-node'))) backends[a.backend] = { unavailable: a.reason };
const plan: [BackendName, number, number][] = [
  ['wasm', 5, 300],
  ['webgpu', 2, 400],
  ['cpu', 1, 400],
];
for (const [b, repeats, timeoutS] of plan) {
  const r = child(b, fullBase, modelDir, repeats, timeoutS);
  backends[b] =
    b === 'webgpu' && !('error' in r) ? { ...r, note: 'software adapter (Mesa llvmpipe over GLES): correctness path, not speed' } : r;
  log(`${b}: ${JSON.stringify(backends[b])}`);
}

// The full detector (pixel + strips) graph of the same event: time only (the shipped model is trained on pixels).
const fullConfigFile = path.join(repoRoot, 'pipelines', 'graphs-full-pt1.yaml');
const fullConfig = loadConfig(graphConfigSchema, fullConfigFile);
const fullDetGraph = buildGraph(testEvents[0], makeGraphContext(fullConfig, fullConfigFile), fullConfig);
const fullDet = {
  edges: fullDetGraph.src.length,
  nodes: fullDetGraph.hitId.length,
  wasm: child('wasm', writeGraph(fullDetGraph, 'full-detector'), modelDir, 2, 500),
};
log(`full detector graph (${fullDet.edges} edges), wasm: ${JSON.stringify(fullDet.wasm)}`);

// ---- score vs time over (hidden, K) ---------------------------------------------------------------------
// Timed on the full event graph; hidden 64 × 8 iterations (the reference point) only on one φ sector
// (~1/8) of it, scaled to the full graph by edge count (inference cost is linear in edges and nodes).
const sector = phiSectors(fullEventGraph, Math.ceil(fullEventGraph.src.length / 8))[0];
const sectorGraph: Graph = {
  eventId: 'sector',
  hitId: Uint32Array.from({ length: sector.nodeFeatures.length / 3 }, (_, i) => i + 1),
  volumeId: new Uint8Array(sector.nodeFeatures.length / 3),
  layer: new Uint8Array(sector.nodeFeatures.length / 3),
  nodeFeatures: sector.nodeFeatures,
  edgeFeatures: sector.edgeFeatures,
  src: sector.src,
  dst: sector.dst,
};
const sectorBase = writeGraph(sectorGraph, 'sector');
const scaleToFull = fullEventGraph.src.length / sector.src.length;
const settings: [number, number][] = [
  [8, 1],
  [8, 2],
  [16, 3],
  [32, 4],
  [64, 8],
];
const tradeoff = [];
for (const [h, k] of settings) {
  const isShipped = h === model.config.hidden && k === model.config.iterations;
  const trainedDir = isShipped ? modelDir : path.join(tradeoffDir, `gnn-tradeoff-h${h}-k${k}`, 'best');
  // A trade-off model counts only when it was trained on the same kind of graph as the shipped one.
  const trainedOnConfig = (dir: string): string =>
    JSON.stringify(trainedGraphConfig(JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')).meta) ?? null);
  const trained =
    existsSync(path.join(trainedDir, 'model.json')) && (isShipped || trainedOnConfig(trainedDir) === JSON.stringify(trainedOn ?? null));
  const spec = trained ? trainedDir : `${h},${k}${model.config.tripletFeatures ? ',triplets' : ''}`;
  let timing: Record<string, unknown>;
  if (h >= 64) {
    const sectorTiming = child('wasm', sectorBase, spec, 1, 500);
    timing = {
      sectorEdges: sector.src.length,
      ...sectorTiming,
      fullEventMsEstimate: typeof sectorTiming.minMs === 'number' ? sectorTiming.minMs * scaleToFull : null,
    };
  } else {
    const full = child('wasm', fullBase, spec, 2, 500);
    timing = { ...full, fullEventMs: full.minMs ?? null };
  }
  let quality: Record<string, number> | null = null;
  if (trained) {
    const tm = loadModel(trainedDir);
    const thr = typeof tm.file.meta.threshold === 'number' ? tm.file.meta.threshold : 0.5;
    const q = (await evaluate(testGraphs, tm.model, thr)).summed;
    quality = {
      threshold: thr,
      auc: q.auc,
      aucPt1: q.aucPt1,
      efficiencyPt1: q.efficiencyPt1,
      purity: q.purity,
      puritySameParticle: q.puritySameParticle,
      trainEpochs: Number(tm.file.meta.epoch ?? NaN),
    };
  }
  tradeoff.push({
    hidden: h,
    iterations: k,
    parameters: paramCount({ hidden: h, iterations: k, mlpLayers: 2, tripletFeatures: model.config.tripletFeatures }),
    shipped: isShipped,
    wasm: timing,
    quality,
  });
  log(`h ${h} K ${k}: ${JSON.stringify(tradeoff[tradeoff.length - 1])}`);
}
rmSync(tmp, { recursive: true, force: true });

const out = writeResult('gnn', {
  model: {
    dir: path.relative(repoRoot, modelDir),
    config: model.config,
    parameters: paramCount(model.config),
    threshold,
    trainedEpochs: file.meta.epoch,
  },
  data: {
    graphConfig,
    graphConfigSource,
    simulated: {
      pileup: 200,
      seed: TEST_SEED,
      events: testGraphs.map((g) => ({ eventId: g.eventId, nodes: g.hitId.length, edges: g.src.length })),
    },
    real: { eventId: sampleFiles.eventId, nodes: sampleGraph.hitId.length, edges: sampleGraph.src.length },
  },
  targets: { efficiencyPt1: 0.97, purity: 0.97, inferenceSeconds: 1 },
  simulated,
  real,
  onCurrentGraphYaml: onCurrentYaml ?? null,
  inference: {
    graph: { eventId: fullEventGraph.eventId, nodes: fullEventGraph.hitId.length, edges: fullEventGraph.src.length },
    backends,
    fullDetector: fullDet,
  },
  tradeoff,
  // The box is shared (2 cores, other jobs running): timings are min of repeats under this load.
  loadAverage: { start: loadAtStart, end: os.loadavg() },
});
log(`wrote ${out}`);
