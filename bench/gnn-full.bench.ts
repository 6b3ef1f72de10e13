// The whole-detector edge classifiers (the models of the pipeline configs named in GNN_FULL_CONFIGS, default
// pipeline-default and pipeline-gnn-only): edge efficiency by particle pT, |η| and volume at edge purity, at each
// model's working threshold, on simulated MU = 200 test events never used for a choice (seed 31337) and on the real
// sample event; and the cost on this machine's CPU: filter and Interaction Network µs per edge, on the test events
// and the shared real full events. Efficiency here is the GNN's: selected true edges / true edges of the graph.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/core/config.ts';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import type { EngineChoice } from '../src/gnn/backend-names.ts';
import { keepEdges } from '../src/gnn/edge-subset.ts';
import { describeEngine, openEngine } from '../src/gnn/engine.ts';
import { buildGraph } from '../src/graph/build.ts';
import type { Graph } from '../src/graph/graph.ts';
import { efficiencyByRange } from '../src/graph/metrics.ts';
import { makeGraphContext } from '../src/graph/stage.ts';
import { pipelineConfigSchema } from '../src/pipeline/pipeline-config.ts';
import { simulateConfig } from '../src/simulate/config.ts';
import { simulateEvent } from '../src/simulate/simulate-event.ts';
import { findEvents, readEvent } from '../src/trackml/index.ts';
import type { TrackmlEvent } from '../src/trackml/types.ts';
import { repoRoot, sharedDataDir, writeResult } from './lib.ts';

const SEED = 31337;
const nTest = Number(process.env.GNN_FULL_EVENTS ?? 3);
const configs = (process.env.GNN_FULL_CONFIGS ?? 'pipeline-default,pipeline-gnn-only').split(',');
const log = (s: string) => process.stdout.write(s + '\n');
// The pipeline's engine (auto: ort-cpu where onnxruntime loads, else a tfjs backend); GNN_FULL_BACKEND picks another.
const engineChoice = (process.env.GNN_FULL_BACKEND ?? 'auto') as EngineChoice;

const det = buildDetectorIndex(loadDetector());
const simEvents: TrackmlEvent[] = [];
for (let k = 1; k <= nTest; k++) simEvents.push(simulateEvent(det, simulateConfig({ pileup: 200 }), SEED, k));
const sampleDir = path.join(sharedDataDir, 'sample-event');
const sample = existsSync(sampleDir) ? readEvent(findEvents(sampleDir)[0], ['hits', 'truth', 'particles']) : undefined;
const fullDir = path.join(sharedDataDir, 'full-events');
const realFull = existsSync(fullDir)
  ? findEvents(fullDir)
      .filter((f) => f.hits)
      .map((f) => readEvent(f, ['hits']))
  : [];

type Ranges = ReturnType<typeof efficiencyByRange>;
/** GNN-level efficiency per bin: kept after the cut / kept by the graph, summed over events. */
function gnnRatio(graphR: Ranges[], selR: Ranges[]) {
  const list = (pick: (r: Ranges) => Ranges['byPt']) =>
    pick(graphR[0]).map((m0, i) => {
      const g = graphR.reduce((a, r) => a + pick(r)[i].kept, 0);
      const s = selR.reduce((a, r) => a + pick(r)[i].kept, 0);
      return { lo: m0.lo, hi: m0.hi, trueEdges: g, selected: s, efficiency: g > 0 ? s / g : NaN };
    });
  const vols = [...new Set(graphR.flatMap((r) => Object.keys(r.byVolume)))].sort((a, b) => Number(a) - Number(b));
  const byVolume = Object.fromEntries(
    vols.map((v) => {
      const g = graphR.reduce((a, r) => a + (r.byVolume[v]?.kept ?? 0), 0);
      const s = selR.reduce((a, r) => a + (r.byVolume[v]?.kept ?? 0), 0);
      return [v, { trueEdges: g, selected: s, efficiency: g > 0 ? s / g : NaN }];
    }),
  );
  return { byPt: list((r) => r.byPt), byAbsEta: list((r) => r.byAbsEta), byVolume };
}

const results: Record<string, unknown>[] = [];
for (const name of configs) {
  const file = path.join(repoRoot, 'pipelines', `${name}.yaml`);
  const config = loadConfig(pipelineConfigSchema, file);
  if (config.scorer !== 'gnn') continue;
  const ctx = makeGraphContext(config.graph, file);
  const engine = await openEngine(path.join(repoRoot, config.model), engineChoice);
  log(describeEngine(engine));
  const model = engine.weights;
  const modelFile = {
    meta: engine.meta,
    parameterCount: Object.values(model.mlps)
      .flat()
      .reduce((a, l) => a + l.w.length + l.b.length, 0),
  };
  const threshold = config.tracks.threshold ?? (modelFile.meta.threshold as number | undefined) ?? 0.5;
  const filterEngine = config.filter ? await openEngine(path.join(repoRoot, config.filter.model), engineChoice) : undefined;
  const filter = filterEngine
    ? { engine: filterEngine, threshold: config.filter!.threshold ?? (filterEngine.meta.threshold as number) }
    : undefined;
  const minPt = config.graph.moduleMap.learnMinPtGeV;
  log(
    `${name}: model ${config.model} (hidden ${model.config.hidden}, K ${model.config.iterations}), threshold ${threshold}${filter ? `, filter ${config.filter!.model} ≥ ${filter.threshold}` : ''}`,
  );

  const run = async (ev: TrackmlEvent, truth: boolean) => {
    const t0 = performance.now();
    const graph = buildGraph(ev, ctx, config.graph);
    const graphMs = performance.now() - t0;
    let g: Graph = graph;
    let filterMs = 0;
    let kept: Uint32Array | undefined;
    if (filter) {
      const t1 = performance.now();
      const fs = await filter.engine.classify(graph);
      const idx: number[] = [];
      for (let e = 0; e < fs.length; e++) if (fs[e] >= filter.threshold) idx.push(e);
      kept = Uint32Array.from(idx);
      g = keepEdges(graph, kept);
      filterMs = performance.now() - t1;
    }
    const t2 = performance.now();
    const scores = await engine.classify(g);
    const gnnMs = performance.now() - t2;
    const out = { edges: graph.src.length, filteredEdges: g.src.length, graphMs, filterMs, gnnMs } as Record<string, unknown>;
    if (truth) {
      // Selection over the full graph's edges: dropped by the filter = not selected.
      const sel = new Uint8Array(graph.src.length);
      for (let k = 0; k < scores.length; k++) if (scores[k] >= threshold) sel[kept ? kept[k] : k] = 1;
      let selected = 0,
        selectedTrue = 0,
        filterTrue = 0,
        graphTrue = 0;
      for (let e = 0; e < graph.src.length; e++) {
        graphTrue += graph.y![e];
        if (sel[e]) {
          selected++;
          selectedTrue += graph.y![e];
        }
      }
      for (let k = 0; k < g.src.length; k++) filterTrue += g.y![k];
      Object.assign(out, {
        graphRanges: efficiencyByRange(graph, undefined, { minPtGeV: minPt }),
        filterRanges: filter
          ? efficiencyByRange(
              graph,
              (() => {
                const m = new Uint8Array(graph.src.length);
                for (const e of kept!) m[e] = 1;
                return m;
              })(),
              { minPtGeV: minPt },
            )
          : undefined,
        selRanges: efficiencyByRange(graph, sel, { minPtGeV: minPt }),
        selected,
        selectedTrue,
        graphTrue,
        filterTrue,
      });
    }
    return out;
  };

  const sim = [];
  for (const ev of simEvents) {
    const r = await run(ev, true);
    sim.push(r);
    log(
      `  ${ev.eventId}: ${r.edges} edges → ${r.filteredEdges} after the filter; filter ${(r.filterMs as number).toFixed(0)} ms, GNN ${(r.gnnMs as number).toFixed(0)} ms`,
    );
  }
  const real = sample ? await run(sample, true) : undefined;
  const full = [];
  for (const ev of realFull) {
    const r = await run(ev, false);
    full.push({ eventId: ev.eventId, ...r });
    log(
      `  real ${ev.eventId}: ${r.edges} edges → ${r.filteredEdges}; filter ${(r.filterMs as number).toFixed(0)} ms, GNN ${(r.gnnMs as number).toFixed(0)} ms`,
    );
  }
  const sum = (rs: Record<string, unknown>[], k: string) => rs.reduce((a, r) => a + (r[k] as number), 0);
  const summary = (rs: Record<string, unknown>[]) => ({
    events: rs.length,
    edgesPerEvent: sum(rs, 'edges') / rs.length,
    filteredEdgesPerEvent: sum(rs, 'filteredEdges') / rs.length,
    purity: sum(rs, 'selectedTrue') / sum(rs, 'selected'),
    filterKeepsTrue: filter ? sum(rs, 'filterTrue') / sum(rs, 'graphTrue') : 1,
    gnn: gnnRatio(
      rs.map((r) => r.graphRanges as Ranges),
      rs.map((r) => r.selRanges as Ranges),
    ),
    filterOnly: filter
      ? gnnRatio(
          rs.map((r) => r.graphRanges as Ranges),
          rs.map((r) => r.filterRanges as Ranges),
        )
      : undefined,
  });
  const timing = (rs: Record<string, unknown>[]) => ({
    filterUsPerEdge: (1000 * sum(rs, 'filterMs')) / sum(rs, 'edges'),
    gnnUsPerEdge: (1000 * sum(rs, 'gnnMs')) / sum(rs, 'filteredEdges'),
    usPerGraphEdge: (1000 * (sum(rs, 'filterMs') + sum(rs, 'gnnMs'))) / sum(rs, 'edges'),
    msPerEvent: (sum(rs, 'filterMs') + sum(rs, 'gnnMs')) / rs.length,
    graphMsPerEvent: sum(rs, 'graphMs') / rs.length,
  });
  results.push({
    config: name,
    model: config.model,
    modelConfig: model.config,
    parameters: modelFile.parameterCount,
    threshold,
    filter: config.filter ? { model: config.filter.model, threshold: filter!.threshold } : null,
    graph: config.graph,
    backend: engine.engine,
    simulated: { ...summary(sim), timing: timing(sim) },
    real: real ? summary([real]) : undefined,
    realFull: full.length
      ? {
          events: full.length,
          edgesPerEvent: sum(full, 'edges') / full.length,
          filteredEdgesPerEvent: sum(full, 'filteredEdges') / full.length,
          timing: timing(full),
        }
      : undefined,
  });
  await engine.release();
  await filterEngine?.release();
}

const f = (v: number | undefined, d = 3) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
type B = { lo: number; hi: number; efficiency: number };
const pick = (list: B[], lo: number) => list.find((b) => b.lo === lo)?.efficiency;
const rows = results as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
const markdown = [
  '## Whole-detector edge classifiers',
  '',
  `Each pipeline config's filter and Interaction Network on its own graphs, on simulated MU = 200 test events (seed ${SEED}, ${nTest} events, never used for a choice) and the real sample event; the pipeline's engine (ort-cpu, one thread, unless the result's backend says otherwise) on this machine. Efficiency = true edges selected at the model's threshold / true edges of the graph (GNN-level; the graph's own efficiency is in "Whole-detector graphs"), by the particle's pT; purity = selected true edges / selected edges. "filter keeps" = true edges of the graph the filter keeps. Targets (issue 15): efficiency ≥ 0.98 (pT > 1), ≥ 0.95 (0.5–1), ≥ 0.90 (0.3–0.5) at purity ≥ 0.95.`,
  '',
  '| config | model | threshold | data | edges/event (graph → filter) | filter keeps | eff pT>1 | eff 0.5–1 | eff 0.3–0.5 | purity |',
  '| --- | --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.flatMap((r) =>
    [r.simulated, r.real].filter(Boolean).map(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (d: any, i: number) =>
        `| ${r.config} | hidden ${r.modelConfig.hidden}, K ${r.modelConfig.iterations}, ${r.parameters.toLocaleString('en-US')} parameters | ${r.threshold} | ${i === 0 ? 'simulated' : 'real sample'} | ${Math.round(d.edgesPerEvent).toLocaleString('en-US')} → ${Math.round(d.filteredEdgesPerEvent).toLocaleString('en-US')} | ${f(d.filterKeepsTrue, 4)} | ${f(pick(d.gnn.byPt, 1), 4)} | ${f(pick(d.gnn.byPt, 0.5), 4)} | ${f(pick(d.gnn.byPt, 0.3), 4)} | ${f(d.purity, 4)} |`,
    ),
  ),
  '',
  "By |η| of the inner hit and by its volume (simulated test events, particles above the graph's pT):",
  '',
  `| config | ${['0–1', '1–2', '2–3', '3–4.5'].map((e) => `|η| ${e}`).join(' | ')} | ${[7, 8, 9, 12, 13, 14, 16, 17, 18].map((v) => `vol ${v}`).join(' | ')} |`,
  `| --- | ${new Array(4 + 9).fill('---:').join(' | ')} |`,
  ...rows.map(
    (r) =>
      `| ${r.config} | ${r.simulated.gnn.byAbsEta.map((b: B) => f(b.efficiency, 3)).join(' | ')} | ${[7, 8, 9, 12, 13, 14, 16, 17, 18].map((v) => f(r.simulated.gnn.byVolume[String(v)]?.efficiency, 3)).join(' | ')} |`,
  ),
  '',
  "Cost on this machine (the pipeline's engine, one thread): µs per edge of the filter (per graph edge) and of the Interaction Network (per edge it sees), and per event:",
  '',
  '| config | data | filter µs/edge | GNN µs/edge | µs per graph edge | filter + GNN per event | graph per event |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.flatMap((r) =>
    [
      ['simulated', r.simulated.timing],
      ['real full events', r.realFull?.timing],
    ]
      .filter((x) => x[1])
      .map(
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        ([label, t]: any) =>
          `| ${r.config} | ${label} | ${f(t.filterUsPerEdge, 2)} | ${f(t.gnnUsPerEdge, 2)} | ${f(t.usPerGraphEdge, 2)} | ${f(t.msPerEvent / 1000, 2)} s | ${f(t.graphMsPerEvent / 1000, 2)} s |`,
      ),
  ),
].join('\n');
log(markdown);
writeResult('gnn-full', { seed: SEED, events: nTest, configs: results, markdown });
