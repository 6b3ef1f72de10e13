// Graph construction benchmark: edge efficiency/purity by pT bin and builder time on simulated full-pileup events
// (MU = 200, in-process simulator on the real detector), the module map learned from separate simulated training
// events, (η, φ)-binning vs kd-tree-javascript neighbour search, and the same metrics on the real sample event.
// Env: GRAPHS_BENCH_TRAIN (training events for the pT>1 module map, default 1000), GRAPHS_BENCH_TRAIN_PT05 (pT>0.5
// map, default 300), GRAPHS_BENCH_TEST (default 3).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { buildEdges, buildGraph, learnModuleMapEvent, selectNodes, type GraphContext, type SelectedNodes } from '../src/graph/build.ts';
import { graphConfig, graphConfigSchema, resolveCuts, type GraphConfig, type GraphConfigInput } from '../src/graph/config.ts';
import { buildLayerIndex, EdgeBuffer, passesCuts, searchWindow, type GeometricCuts } from '../src/graph/geometric.ts';
import { adjacencyCoverage, buildLayerModel, PIXEL_VOLUMES, type LayerModel } from '../src/graph/layers.ts';
import { edgeMetrics, PROMPT_VERTEX_R_MM, type EdgeMetrics } from '../src/graph/metrics.ts';
import { ModuleMapLearner, type ModuleMap } from '../src/graph/module-map.ts';
import { makeGraphContext } from '../src/graph/stage.ts';
import { trueSegments } from '../src/graph/truth.ts';
import { loadConfig } from '../src/core/config.ts';
import { simulateConfig } from '../src/simulate/config.ts';
import { simulateEvent } from '../src/simulate/simulate-event.ts';
import { findEvents, readEvent } from '../src/trackml/index.ts';
import type { TrackmlEvent } from '../src/trackml/types.ts';
import { repoRoot, sharedDataDir, writeResult } from './lib.ts';

const nTrain = Number(process.env.GRAPHS_BENCH_TRAIN ?? 1000);
const nTrainPt05 = Number(process.env.GRAPHS_BENCH_TRAIN_PT05 ?? 300);
const nTest = Number(process.env.GRAPHS_BENCH_TEST ?? 3);
const SEED = 4242;
const detectorsFile = path.join(sharedDataDir, 'detectors.csv.gz');
if (!existsSync(detectorsFile)) throw new Error(`real detector missing: ${detectorsFile}`);
const det = buildDetectorIndex(loadDetector(detectorsFile));
const sim = simulateConfig({ pileup: 200 });

const log = (s: string) => process.stdout.write(s + '\n');
let t0 = performance.now();
const testEvents: TrackmlEvent[] = [];
for (let i = 0; i < nTest; i++) testEvents.push(simulateEvent(det, sim, SEED, 1000 + i));
log(
  `simulated ${nTest} test events (${testEvents.map((e) => e.hits.hitId.length).join(', ')} hits) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const models = new Map<string, LayerModel>();
function modelFor(c: GraphConfig): LayerModel {
  const key = `${c.detector}/${c.skipOneLayer}`;
  let m = models.get(key);
  if (!m)
    models.set(key, (m = buildLayerModel(det.layers, c.detector === 'pixel' ? PIXEL_VOLUMES : undefined, { skipOne: c.skipOneLayer })));
  return m;
}

/** Sums metric counts over events (efficiency and purity from the sums, not averages of ratios). */
function sumMetrics(ms: EdgeMetrics[]) {
  const sum = (f: (m: EdgeMetrics) => number) => ms.reduce((a, m) => a + f(m), 0);
  const nodes = sum((m) => m.nodes);
  const edges = sum((m) => m.edges);
  const trueEdges = sum((m) => m.trueEdges);
  const bin = (b: 'all' | 'pt0p5' | 'pt1' | 'pt0p5Prompt' | 'pt1Prompt') => {
    const segments = sum((m) => m.byPt[b].segments);
    const kept = sum((m) => m.byPt[b].kept);
    return { segments, kept, efficiency: kept / segments, purityInBin: kept / edges };
  };
  const volumes = [...new Set(ms.flatMap((m) => Object.keys(m.byVolume)))].sort((a, b) => Number(a) - Number(b));
  const byVolume = Object.fromEntries(
    volumes.map((v) => {
      const s = (f: (x: EdgeMetrics['byVolume'][string]) => number) => ms.reduce((a, m) => a + (m.byVolume[v] ? f(m.byVolume[v]) : 0), 0);
      return [
        v,
        {
          efficiency: s((x) => x.kept) / s((x) => x.segments),
          purity: s((x) => x.trueEdges) / s((x) => x.edges),
          edges: s((x) => x.edges),
        },
      ];
    }),
  );
  return {
    events: ms.length,
    nodesPerEvent: nodes / ms.length,
    edgesPerEvent: edges / ms.length,
    edgesPerHit: edges / nodes,
    purity: trueEdges / edges,
    byPt: { all: bin('all'), pt0p5: bin('pt0p5'), pt1: bin('pt1'), pt0p5Prompt: bin('pt0p5Prompt'), pt1Prompt: bin('pt1Prompt') },
    byVolume,
  };
}

function runConfig(name: string, input: GraphConfigInput, ctxExtra: Partial<GraphContext> = {}) {
  const config = graphConfig(input);
  const ctx: GraphContext = { model: modelFor(config), modules: det, ...ctxExtra };
  const metrics: EdgeMetrics[] = [];
  const buildMs: number[] = [];
  let memory: Record<string, number> | undefined;
  for (const [i, ev] of testEvents.entries()) {
    const nodes = selectNodes(ev, ctx.model);
    // Builder time: edges only (node selection and features are linear passes, timed separately below).
    const t = await_(() => buildEdges(ev, nodes, ctx, config));
    buildMs.push(t.minMs);
    if (i === 0) {
      global.gc?.();
      const before = process.memoryUsage();
      const g = buildGraph(ev, ctx, config);
      const after = process.memoryUsage();
      const graphBytes = g.src.byteLength * 2 + g.edgeFeatures.byteLength + (g.y?.byteLength ?? 0) + g.nodeFeatures.byteLength;
      memory = {
        graphMiB: graphBytes / 2 ** 20,
        heapDeltaMiB: (after.heapUsed - before.heapUsed) / 2 ** 20,
        arrayBuffersDeltaMiB: (after.arrayBuffers - before.arrayBuffers) / 2 ** 20,
        rssMiB: after.rss / 2 ** 20,
      };
      const full = timeSync(() => buildGraph(ev, ctx, config), 3);
      memory.fullGraphWithFeaturesAndLabelsMs = full;
    }
    metrics.push(edgeMetrics(buildGraph(ev, ctx, config)));
  }
  const s = sumMetrics(metrics);
  log(
    `${name.padEnd(28)} edges/ev ${Math.round(s.edgesPerEvent).toString().padStart(8)} eff pT>1 ${s.byPt.pt1.efficiency.toFixed(4)} ` +
      `(prompt ${s.byPt.pt1Prompt.efficiency.toFixed(4)}) eff pT>0.5 ${s.byPt.pt0p5.efficiency.toFixed(4)} purity ${s.purity.toFixed(4)} ` +
      `build ${Math.min(...buildMs).toFixed(0)} ms`,
  );
  return { config, builderMinMs: Math.min(...buildMs), builderMsPerEvent: buildMs, memory, ...s };
}

function timeSync(fn: () => unknown, repeats: number): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}
function await_(fn: () => unknown): { minMs: number } {
  return { minMs: timeSync(fn, 5) };
}

// ---- kd-tree-javascript neighbour search, same windows and cuts, for the comparison only.
interface KdPoint {
  phi: number;
  u: number;
  k: number;
}
interface KdTree {
  nearest(p: KdPoint, maxNodes: number, maxDistance: number): [KdPoint, number][];
}
const { kdTree } = createRequire(import.meta.url)('kd-tree-javascript') as {
  kdTree: new (points: KdPoint[], metric: (a: KdPoint, b: KdPoint) => number, dims: string[]) => KdTree;
};
function kdTreeEdges(nodes: SelectedNodes, model: LayerModel, cuts: GeometricCuts): { edges: number; truncatedQueries: number } {
  const ix = buildLayerIndex(nodes, model, 1);
  let halfPhi = 1;
  let uMid = 0;
  let halfU = 1;
  const metric = (a: KdPoint, b: KdPoint) => Math.max(Math.abs(a.phi - b.phi) / halfPhi, Math.abs(a.u - b.u) / halfU);
  const trees = model.layers.map((_, l) => {
    const pts: KdPoint[] = [];
    for (let k = ix.layerStart[l]; k < ix.layerStart[l + 1]; k++) pts.push({ phi: ix.phi[k], u: ix.u[k], k });
    return new kdTree(pts, metric, ['phi', 'u']);
  });
  const MAX_NODES = 256;
  const out = new EdgeBuffer();
  const win = new Float64Array(3);
  let truncatedQueries = 0;
  for (const pair of model.pairs) {
    const A = pair.inner;
    const B = pair.outer;
    if (ix.layerStart[B] === ix.layerStart[B + 1]) continue;
    const barrel = model.layers[B].kind === 'barrel';
    for (let ka = ix.layerStart[A]; ka < ix.layerStart[A + 1]; ka++) {
      if (!searchWindow(ix.r[ka], ix.z[ka], barrel, ix.rMin[B], ix.rMax[B], ix.zMin[B], ix.zMax[B], cuts, win)) continue;
      halfPhi = win[2];
      uMid = 0.5 * (win[0] + win[1]);
      halfU = Math.max(0.5 * (win[1] - win[0]), 1e-6);
      for (const shift of [0, 2 * Math.PI, -2 * Math.PI]) {
        const q = ix.phi[ka] + shift;
        if (shift !== 0 && Math.abs(q) - halfPhi > Math.PI) continue;
        const found = trees[B].nearest({ phi: q, u: uMid, k: -1 }, MAX_NODES, 1);
        if (found.length === MAX_NODES) truncatedQueries++;
        for (const [p] of found) {
          const kb = p.k;
          if (passesCuts(ix.r[ka], ix.phi[ka], ix.z[ka], ix.eta[ka], ix.r[kb], ix.phi[kb], ix.z[kb], ix.eta[kb], cuts))
            out.push(ix.node[ka], ix.node[kb]);
        }
      }
    }
  }
  return { edges: out.length, truncatedQueries };
}

// ---- Geometric builder presets.
const results: Record<string, unknown> = {};
// Default skipOneLayer is 'endcap' (disk-to-disk skips only); 'noskip' and 'skip1' (skips everywhere) for contrast.
results['geometric pixel pT>1'] = runConfig('geometric pixel pT>1', { detector: 'pixel', preset: 'pt1' });
results['geometric pixel pT>1 noskip'] = runConfig('geometric pixel pT>1 noskip', {
  detector: 'pixel',
  preset: 'pt1',
  skipOneLayer: false,
});
results['geometric pixel pT>1 skip1'] = runConfig('geometric pixel pT>1 skip1', { detector: 'pixel', preset: 'pt1', skipOneLayer: true });
results['geometric pixel pT>0.5'] = runConfig('geometric pixel pT>0.5', { detector: 'pixel', preset: 'pt0.5' });
results['geometric full pT>1'] = runConfig('geometric full pT>1', { detector: 'full', preset: 'pt1' });
results['geometric full pT>1 noskip'] = runConfig('geometric full pT>1 noskip', { detector: 'full', preset: 'pt1', skipOneLayer: false });
results['geometric full pT>0.5'] = runConfig('geometric full pT>0.5', { detector: 'full', preset: 'pt0.5' });

// ---- Search strategy: binning vs kd-tree on the pixel pT>1 preset, first test event.
{
  const config = graphConfig({ detector: 'pixel', preset: 'pt1', skipOneLayer: false });
  const model = modelFor(config);
  const nodes = selectNodes(testEvents[0], model);
  const cuts = resolveCuts(config);
  const binsMs = timeSync(() => buildEdges(testEvents[0], nodes, { model }, config), 5);
  const binsEdges = buildEdges(testEvents[0], nodes, { model }, config).src.length;
  let kd = { edges: 0, truncatedQueries: 0 };
  const kdMs = timeSync(() => (kd = kdTreeEdges(nodes, model, cuts)), 2);
  results.search = {
    binsMs,
    binsEdges,
    kdTreeMs: kdMs,
    kdTreeEdges: kd.edges,
    kdTreeTruncatedQueries: kd.truncatedQueries,
    kdTreeMaxNodes: 256,
  };
  log(
    `search: (eta,phi)-binning ${binsMs.toFixed(0)} ms (${binsEdges} edges) vs kd-tree-javascript ${kdMs.toFixed(0)} ms (${kd.edges} edges, ${kd.truncatedQueries} queries hit maxNodes)`,
  );
}

// ---- Adjacency vs truth: true pT > 0.5 GeV segments whose layer pair the geometric adjacency does not list.
{
  const adjacency: Record<string, unknown> = {};
  for (const [name, input] of [
    ['pixel noskip', { detector: 'pixel', skipOneLayer: false }],
    ['pixel endcap', { detector: 'pixel' }],
    ['pixel skip1', { detector: 'pixel', skipOneLayer: true }],
    ['full noskip', { detector: 'full', skipOneLayer: false }],
    ['full endcap', { detector: 'full' }],
    ['full skip1', { detector: 'full', skipOneLayer: true }],
  ] as [string, GraphConfigInput][]) {
    const config = graphConfig(input);
    const model = modelFor(config);
    let segments = 0;
    let notAdjacent = 0;
    const missingPairs: Record<string, number> = {};
    for (const ev of testEvents) {
      const g = buildGraph(ev, { model }, config);
      const seg = trueSegments(g.truth!);
      const c = adjacencyCoverage(model, seg.src, seg.dst, g.layer, (s) => g.truth!.ptGeV[seg.src[s]] > 0.5);
      segments += c.segments;
      notAdjacent += c.notAdjacent;
      for (const [k, v] of Object.entries(c.missingPairs)) missingPairs[k] = (missingPairs[k] ?? 0) + v;
    }
    const top = Object.fromEntries(
      Object.entries(missingPairs)
        .sort((p, q) => q[1] - p[1])
        .slice(0, 8),
    );
    adjacency[name] = {
      layerPairs: model.pairs.length,
      segmentsPt0p5: segments,
      notAdjacent,
      fraction: notAdjacent / segments,
      topMissingPairs: top,
    };
    log(
      `adjacency ${name.padEnd(12)} ${model.pairs.length} layer pairs; ${notAdjacent} of ${segments} pT>0.5 true segments on unlisted pairs (${((100 * notAdjacent) / segments).toFixed(2)} %) ${JSON.stringify(top)}`,
    );
  }
  results.adjacency = adjacency;
}

// ---- Module map: learn from events simulated in memory with only the particles that can add a segment (pT ≥ the
// map's learning pT; as `stage:graphs -- module-map --simulate N` does), apply to the full test events.
const maps: Record<string, ModuleMap> = {};
const learningCurve: Record<string, unknown>[] = [];
{
  const model = modelFor(graphConfig({ detector: 'pixel' }));
  const ctx: GraphContext = { model, modules: det };
  const learned: Record<string, unknown> = {};
  for (const [key, minPt, events, margin] of [
    ['pt1', 1, nTrain, 0.1],
    ['pt0.5', 0.5, nTrainPt05, 0.05],
  ] as const) {
    t0 = performance.now();
    const learner = new ModuleMapLearner(det.moduleCount);
    const learnSim = simulateConfig({ pileup: 200, simulatedPtMinGeV: minPt, noiseFraction: 0 });
    for (let i = 0; i < events; i++) {
      learnModuleMapEvent(learner, simulateEvent(det, learnSim, SEED + 1, i), ctx, minPt, PROMPT_VERTEX_R_MM);
      // Learning curve: how coverage grows with training events (efficiency on the test events).
      if ([30, 100, 300, 1000, 2000].includes(i + 1)) {
        const map = learner.finish();
        for (const m of [0, 0.05, 0.1]) {
          const config = graphConfig({ detector: 'pixel', builder: 'moduleMap', moduleMap: { marginFraction: m } });
          const s = sumMetrics(testEvents.map((t) => edgeMetrics(buildGraph(t, { ...ctx, moduleMap: map }, config))));
          learningCurve.push({
            map: key,
            events: i + 1,
            marginFraction: m,
            pairs: map.dstModule.length,
            effPt1: s.byPt.pt1.efficiency,
            effPt0p5: s.byPt.pt0p5.efficiency,
            purity: s.purity,
            edgesPerEvent: s.edgesPerEvent,
          });
          log(
            `  module map ${key} after ${i + 1} events, margin ${m}: ${map.dstModule.length} pairs, eff pT>1 ${s.byPt.pt1.efficiency.toFixed(4)} pT>0.5 ${s.byPt.pt0p5.efficiency.toFixed(4)} purity ${s.purity.toFixed(4)}`,
          );
        }
      }
    }
    maps[key] = learner.finish();
    const learnS = (performance.now() - t0) / 1000;
    log(
      `module map ${key}: ${events} training events (pT >= ${minPt} GeV simulated) in ${learnS.toFixed(0)} s; ${maps[key].dstModule.length} pairs`,
    );
    learned[key] = {
      events,
      learnMinPtGeV: minPt,
      marginFraction: margin,
      seconds: learnS,
      pairs: maps[key].dstModule.length,
      segments: learner.segmentsSeen,
    };
    results[`module map pixel pT>${key.slice(2)}`] = runConfig(
      `module map pixel pT>${key.slice(2)}`,
      { detector: 'pixel', builder: 'moduleMap', moduleMap: { marginFraction: margin } },
      { moduleMap: maps[key] },
    );
  }
  results.moduleMapTraining = { learningCurve, ...learned };
  // The map shipped for the pipeline (pipelines/graphs-modulemap-pixel.yaml), learned with another seed.
  const shipped = loadConfig(graphConfigSchema, path.join(repoRoot, 'pipelines', 'graphs-modulemap-pixel.yaml'));
  const shippedCtx = makeGraphContext(shipped, 'pipelines/graphs-modulemap-pixel.yaml');
  results['module map pixel pT>1 (shipped file)'] = runConfig('module map pT>1 shipped', shipped, { moduleMap: shippedCtx.moduleMap });
}

// ---- The real sample event (5 % of a full event), same configs.
{
  const real = readEvent(findEvents(path.join(sharedDataDir, 'sample-event'))[0]);
  const realResults: Record<string, unknown> = {};
  const cases: [string, GraphConfigInput, Partial<GraphContext>][] = [
    ['geometric pixel pT>1', { detector: 'pixel', preset: 'pt1' }, {}],
    ['geometric pixel pT>0.5', { detector: 'pixel', preset: 'pt0.5' }, {}],
    ['geometric full pT>1', { detector: 'full', preset: 'pt1' }, {}],
    ['geometric full pT>0.5', { detector: 'full', preset: 'pt0.5' }, {}],
    ['module map pixel pT>1', { detector: 'pixel', builder: 'moduleMap', moduleMap: { marginFraction: 0.1 } }, { moduleMap: maps.pt1 }],
    ['module map pixel pT>0.5', { detector: 'pixel', builder: 'moduleMap' }, { moduleMap: maps['pt0.5'] }],
  ];
  for (const [name, input, extra] of cases) {
    const config = graphConfig(input);
    const m = edgeMetrics(buildGraph(real, { model: modelFor(config), modules: det, ...extra }, config));
    realResults[name] = {
      nodes: m.nodes,
      edges: m.edges,
      purity: m.purity,
      effPt1: m.byPt.pt1.efficiency,
      effPt0p5: m.byPt.pt0p5.efficiency,
      segmentsPt1: m.byPt.pt1.segments,
      segmentsPt0p5: m.byPt.pt0p5.segments,
      effPt1Prompt: m.byPt.pt1Prompt.efficiency,
    };
    log(
      `real sample ${name.padEnd(26)} eff pT>1 ${m.byPt.pt1.efficiency.toFixed(4)} (${m.byPt.pt1.segments} segments) eff pT>0.5 ${m.byPt.pt0p5.efficiency.toFixed(4)} purity ${m.purity.toFixed(4)}`,
    );
  }
  results.realSampleEvent = realResults;
}

const file = writeResult('graphs', {
  simulation: {
    pileup: 200,
    seed: SEED,
    testEvents: nTest,
    trainEventsPt1: nTrain,
    trainEventsPt0p5: nTrainPt05,
    hitsPerTestEvent: testEvents.map((e) => e.hits.hitId.length),
  },
  results,
});
log(`wrote ${file}`);
