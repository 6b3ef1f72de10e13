// Whole-detector graphs (ring-map presets pT ≥ 1, 0.5, 0.3 GeV, pixels and strips, learned from simulation only):
// edges per event, purity and edge efficiency by particle pT on simulated MU = 200 test events never used for a
// choice (seed 31337), on the real sample event and on the shared real full events (no truth: edges and time);
// builder time; and each preset's ceiling for GNN-only tracking — the official TrackML score with a perfect edge
// classifier (scores = truth labels) and the CC + walk builder. Env: GRAPHS_FULL_EVENTS (test events, default 3),
// GRAPHS_FULL_PRESETS (comma list of pipelines/graphs-ringmap-full-*.yaml suffixes, default pt1,pt0.5,pt0.3).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { scoreEvent } from '../scoring/index.ts';
import { loadConfig } from '../src/core/config.ts';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { buildEdges, buildGraph, selectNodes } from '../src/graph/build.ts';
import { graphConfigSchema } from '../src/graph/config.ts';
import { edgeMetrics, efficiencyByRange } from '../src/graph/metrics.ts';
import { makeGraphContext } from '../src/graph/stage.ts';
import { simulateConfig } from '../src/simulate/config.ts';
import { simulateEvent } from '../src/simulate/simulate-event.ts';
import { findEvents, readEvent } from '../src/trackml/index.ts';
import type { TrackmlEvent } from '../src/trackml/types.ts';
import { buildTracks, countTracking, trackingRates, tracksConfig } from '../src/tracks/index.ts';
import { repoRoot, sharedDataDir, timeIt, writeResult } from './lib.ts';

const SEED = 31337;
const nTest = Number(process.env.GRAPHS_FULL_EVENTS ?? 3);
const presets = (process.env.GRAPHS_FULL_PRESETS ?? 'pt1,pt0.5,pt0.3').split(',');
const log = (s: string) => process.stdout.write(s + '\n');

const det = buildDetectorIndex(loadDetector());
let t0 = performance.now();
const simEvents: TrackmlEvent[] = [];
for (let k = 1; k <= nTest; k++) simEvents.push(simulateEvent(det, simulateConfig({ pileup: 200 }), SEED, k));
log(`simulated ${nTest} test events (seed ${SEED}) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
const sampleDir = path.join(sharedDataDir, 'sample-event');
const sample = existsSync(sampleDir) ? readEvent(findEvents(sampleDir)[0], ['hits', 'truth', 'particles']) : undefined;
const fullDir = path.join(sharedDataDir, 'full-events');
const realFull = existsSync(fullDir)
  ? findEvents(fullDir)
      .filter((f) => f.hits)
      .map((f) => readEvent(f, ['hits']))
  : [];

/** Sums of counts over events → ratios. */
function sumRanges(rs: ReturnType<typeof efficiencyByRange>[]) {
  const sumList = (pick: (r: ReturnType<typeof efficiencyByRange>) => ReturnType<typeof efficiencyByRange>['byPt']) =>
    pick(rs[0]).map((m0, i) => {
      const s = (f: (m: typeof m0) => number) => rs.reduce((a, r) => a + f(pick(r)[i]), 0);
      const segments = s((m) => m.segments),
        kept = s((m) => m.kept),
        ps = s((m) => m.promptSegments),
        pk = s((m) => m.promptKept);
      return {
        lo: m0.lo,
        hi: m0.hi,
        segments,
        kept,
        efficiency: kept / segments,
        promptSegments: ps,
        promptKept: pk,
        promptEfficiency: pk / ps,
      };
    });
  const volumes = [...new Set(rs.flatMap((r) => Object.keys(r.byVolume)))].sort((a, b) => Number(a) - Number(b));
  const byVolume = Object.fromEntries(
    volumes.map((v) => {
      const segments = rs.reduce((a, r) => a + (r.byVolume[v]?.segments ?? 0), 0);
      const kept = rs.reduce((a, r) => a + (r.byVolume[v]?.kept ?? 0), 0);
      return [v, { segments, kept, efficiency: kept / segments }];
    }),
  );
  return { byPt: sumList((r) => r.byPt), byAbsEta: sumList((r) => r.byAbsEta), byVolume };
}

/** Perfect-classifier GNN-only tracks: graph → truth scores → CC + walk → official score and pT > 1 rates. */
function ceiling(ev: TrackmlEvent, graph: ReturnType<typeof buildGraph>) {
  const scores = Float32Array.from(graph.y!);
  const trackId = buildTracks(ev.hits.hitId, graph, scores, tracksConfig({ method: 'ccwalk', threshold: 0.5, stitchThreshold: 0.5 }));
  const sub = { hitId: ev.hits.hitId, trackId };
  const sc = scoreEvent(ev.truth!, sub);
  return { score: sc.score, counts: countTracking(ev.truth!, sub, ev.particles, sc) };
}

const results: Record<string, unknown>[] = [];
for (const preset of presets) {
  const file = path.join(repoRoot, 'pipelines', `graphs-ringmap-full-${preset}.yaml`);
  const config = loadConfig(graphConfigSchema, file);
  const ctx = makeGraphContext(config, file);
  log(`preset ${preset}: ${path.relative(repoRoot, config.moduleMap.file!)}, margin ${config.moduleMap.marginFraction}`);
  const sim = simEvents.map((ev) => {
    const nodes = selectNodes(ev, ctx.model);
    const builder = { minMs: Infinity };
    for (let r = 0; r < 2; r++) {
      const t = performance.now();
      buildEdges(ev, nodes, ctx, config);
      builder.minMs = Math.min(builder.minMs, performance.now() - t);
    }
    t0 = performance.now();
    const graph = buildGraph(ev, ctx, config);
    const graphMs = performance.now() - t0;
    const m = edgeMetrics(graph);
    const ranges = efficiencyByRange(graph, undefined, { minPtGeV: config.moduleMap.learnMinPtGeV });
    const c = ceiling(ev, graph);
    log(
      `  ${ev.eventId}: ${graph.src.length} edges, purity ${m.purity.toFixed(4)}, eff ${ranges.byPt.map((b) => b.efficiency.toFixed(4)).join(' / ')}, builder ${builder.minMs.toFixed(0)} ms, perfect-classifier score ${c.score.toFixed(4)}`,
    );
    return {
      edges: graph.src.length,
      nodes: graph.hitId.length,
      trueEdges: m.trueEdges,
      builderMs: builder.minMs,
      graphMs,
      ranges,
      ceiling: c,
    };
  });
  const sumE = sim.reduce((a, s) => a + s.edges, 0);
  const ceilRates = trackingRates(
    sim
      .map((s) => s.ceiling.counts)
      .reduce((a, c) => {
        const out = JSON.parse(JSON.stringify(a));
        for (const k of ['reconstructable', 'reconstructed'] as const)
          out[k] = a[k].map((row: number[], i: number) => row.map((v, j) => v + c[k][i][j]));
        for (const k of ['etaReconstructable', 'etaReconstructed', 'tracks', 'fakes', 'duplicates'] as const)
          out[k] = a[k].map((v: number, i: number) => v + c[k][i]);
        return out;
      }),
  ).find((r) => r.ptBin === '> 1');
  let real: Record<string, unknown> | undefined;
  if (sample) {
    const graph = buildGraph(sample, ctx, config);
    const m = edgeMetrics(graph);
    const c = ceiling(sample, graph);
    real = {
      edges: graph.src.length,
      purity: m.purity,
      ranges: efficiencyByRange(graph),
      ceilingScore: c.score,
      ceilingPt1: trackingRates(c.counts).find((r) => r.ptBin === '> 1'),
    };
    log(`  real sample: ${graph.src.length} edges, perfect-classifier score ${c.score.toFixed(4)}`);
  }
  const full = [];
  for (const ev of realFull) {
    const nodes = selectNodes(ev, ctx.model);
    const b = await timeIt(() => buildEdges(ev, nodes, ctx, config), 2);
    const g = await timeIt(() => buildGraph(ev, ctx, config), 2);
    const edges = buildEdges(ev, nodes, ctx, config).src.length;
    full.push({ eventId: ev.eventId, hits: ev.hits.hitId.length, edges, builderMinMs: b.minMs, graphMinMs: g.minMs });
    log(
      `  real ${ev.eventId}: ${ev.hits.hitId.length} hits, ${edges} edges, builder ${b.minMs.toFixed(0)} ms, graph with features ${g.minMs.toFixed(0)} ms`,
    );
  }
  results.push({
    preset,
    config: path.relative(repoRoot, file),
    mapFile: path.relative(repoRoot, config.moduleMap.file!),
    marginFraction: config.moduleMap.marginFraction,
    ringPairs: ctx.ringMap?.srcRing.length,
    simulated: {
      events: sim.length,
      edgesPerEvent: sumE / sim.length,
      purity: sim.reduce((a, s) => a + s.trueEdges, 0) / sumE,
      builderMinMs: Math.min(...sim.map((s) => s.builderMs)),
      graphMeanMs: sim.reduce((a, s) => a + s.graphMs, 0) / sim.length,
      ...sumRanges(sim.map((s) => s.ranges)),
      ceilingScore: sim.reduce((a, s) => a + s.ceiling.score, 0) / sim.length,
      ceilingPt1: ceilRates,
    },
    real,
    realFull: full,
  });
}

const f = (v: number | undefined, d = 3) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
const k = (v: number) => `${Math.round(v / 1000).toLocaleString('en-US')} k`;
type R = { preset: string; simulated: any; real?: any; realFull: any[]; mapFile: string; marginFraction: number; ringPairs: number }; // eslint-disable-line @typescript-eslint/no-explicit-any
const rows = results as unknown as R[];
const bin = (ranges: { lo: number; hi: number; efficiency: number; promptEfficiency: number }[], lo: number, prompt = false) => {
  const b = ranges.find((x) => x.lo === lo)!;
  return prompt ? b.promptEfficiency : b.efficiency;
};
const markdown = [
  '## Whole-detector graphs (ring maps)',
  '',
  `Ring maps (src/graph/ring-map.ts: module pairs folded over φ into pairs of module rings) over pixels, short and long strips, learned from events simulated in memory (only particles above the preset's pT propagated); simulated MU = 200 test events seed ${SEED} (${nTest}, never used for a choice), the real sample event (truth) and the shared real full events (no truth). Efficiency = true consecutive segments (every particle, secondaries included; "prompt" = produced within 2 mm of the beam axis) that are edges, by the particle's pT; purity = true edges / edges. Perfect-classifier score: the official TrackML score of GNN-only tracks (CC + walk, src/tracks/walk.ts) with edge scores = truth labels: the most a GNN on this graph can give without any other track finding.`,
  '',
  '| preset | map | ring pairs | edges/event (sim) | edges/event (real full) | purity | eff pT>1 | eff 0.5–1 | eff 0.3–0.5 | eff <0.3 | eff 0.3–0.5 prompt | builder (sim / real full) | perfect-classifier score (sim / real sample) | pT>1 track eff / fake (perfect) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
  ...rows.map((r) => {
    const s = r.simulated;
    const rf = r.realFull;
    const realEdges = rf.length ? rf.reduce((a, x) => a + x.edges, 0) / rf.length : NaN;
    const realBuilder = rf.length ? Math.min(...rf.map((x) => x.builderMinMs)) : NaN;
    return `| pT ≥ ${r.preset.slice(2)} GeV | \`${r.mapFile}\` (margin ${r.marginFraction}) | ${r.ringPairs} | ${k(s.edgesPerEvent)} | ${Number.isFinite(realEdges) ? k(realEdges) : '–'} | ${f(s.purity, 4)} | ${f(bin(s.byPt, 1), 4)} | ${f(bin(s.byPt, 0.5), 4)} | ${f(bin(s.byPt, 0.3), 4)} | ${f(bin(s.byPt, 0), 4)} | ${f(bin(s.byPt, 0.3, true), 4)} | ${f(s.builderMinMs, 0)} / ${f(realBuilder, 0)} ms | ${f(s.ceilingScore, 4)} / ${f(r.real?.ceilingScore, 4)} | ${f(s.ceilingPt1?.efficiency)} / ${f(s.ceilingPt1?.fakeRate, 4)} |`;
  }),
  '',
  'The same on the real sample event (a ~5 % event: purity is not comparable with full pile-up):',
  '',
  '| preset | edges | purity | eff pT>1 | eff 0.5–1 | eff 0.3–0.5 | eff <0.3 |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows
    .filter((r) => r.real)
    .map(
      (r) =>
        `| pT ≥ ${r.preset.slice(2)} GeV | ${r.real.edges} | ${f(r.real.purity, 4)} | ${f(bin(r.real.ranges.byPt, 1), 4)} | ${f(bin(r.real.ranges.byPt, 0.5), 4)} | ${f(bin(r.real.ranges.byPt, 0.3), 4)} | ${f(bin(r.real.ranges.byPt, 0), 4)} |`,
    ),
  '',
  "Graph efficiency by the volume of the segment's inner hit, for particles above each preset's pT (simulated test events):",
  '',
  `| preset | ${[...new Set(rows.flatMap((r) => Object.keys(r.simulated.byVolume)))].map((v) => `vol ${v}`).join(' | ')} |`,
  `| --- | ${[...new Set(rows.flatMap((r) => Object.keys(r.simulated.byVolume)))].map(() => '---:').join(' | ')} |`,
  ...rows.map(
    (r) =>
      `| pT ≥ ${r.preset.slice(2)} GeV | ${[...new Set(rows.flatMap((x) => Object.keys(x.simulated.byVolume)))].map((v) => f(r.simulated.byVolume[v]?.efficiency, 3)).join(' | ')} |`,
  ),
].join('\n');
log(markdown);
writeResult('graphs-full', { seed: SEED, events: nTest, presets: results, markdown });
