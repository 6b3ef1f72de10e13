// The graph stage as run from the command line: read events from a directory, build and write one graph per
// event (Arrow files, atomic), record metrics and provenance; and learn a module map from simulated events.
// All I/O of the stage lives here; the algorithms it calls do none.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { contentHash } from '../core/cache.ts';
import { InputError } from '../core/errors.ts';
import { buildDetectorIndex, loadDetector, type DetectorIndex } from '../geometry/index.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { loadConfig } from '../core/config.ts';
import { Progress } from '../core/progress.ts';
import { writeProvenance } from '../core/provenance.ts';
import { simulateConfig } from '../simulate/config.ts';
import { simulateEvent } from '../simulate/simulate-event.ts';
import { findEvents, readEvent } from '../trackml/index.ts';
import type { TrackmlEvent } from '../trackml/types.ts';
import { graphToArrow, moduleMapFromArrow, moduleMapToArrow, ringMapFromArrow, ringMapToArrow } from './arrow-io.ts';
import { buildGraph, learnModuleMapEvent, learnRingMapEvent, type GraphContext } from './build.ts';
import { graphConfigSchema, resolveCuts, type GraphConfig } from './config.ts';
import { buildLayerModel, PIXEL_VOLUMES } from './layers.ts';
import { edgeMetrics, type EdgeMetrics } from './metrics.ts';
import { ModuleMapLearner } from './module-map.ts';
import { moduleRings, RingMapLearner } from './ring-map.ts';

export interface GraphStageOptions {
  inputDir: string;
  outputDir: string;
  configFile?: string;
  /** Only the first N events. */
  limit?: number;
}

export function graphFileNames(eventId: string): { nodes: string; edges: string } {
  return { nodes: `${eventId}-nodes.arrow`, edges: `${eventId}-edges.arrow` };
}

/** Detector index and layer model for `config` (and the module map when the builder needs one). */
export function makeGraphContext(config: GraphConfig, configSource = 'config'): GraphContext & { detector: DetectorIndex } {
  if (config.detectorsFile !== undefined && !existsSync(config.detectorsFile))
    throw new InputError(configSource, undefined, `detectorsFile: ${config.detectorsFile} not found`);
  const detector = buildDetectorIndex(loadDetector(config.detectorsFile));
  const model = buildLayerModel(detector.layers, config.detector === 'pixel' ? PIXEL_VOLUMES : undefined, {
    z0MaxMm: Math.max(200, resolveCuts(config).z0MaxMm),
    skipOne: config.skipOneLayer,
  });
  const ctx: GraphContext & { detector: DetectorIndex } = { model, detector, modules: detector, rings: moduleRings(detector) };
  if (config.builder === 'moduleMap' || config.builder === 'ringMap') {
    const file = config.moduleMap.file;
    if (file === undefined) throw new InputError(configSource, undefined, `moduleMap.file: required when builder is ${config.builder}`);
    if (!existsSync(file)) throw new InputError(file, undefined, 'module map not found (build it with `npm run stage:graphs -- module-map`)');
    try {
      if (config.builder === 'ringMap') ctx.ringMap = ringMapFromArrow(readFileSync(file), ctx.rings!, file);
      else ctx.moduleMap = moduleMapFromArrow(readFileSync(file), detector, file);
    } catch (err) {
      throw new InputError(file, undefined, `not a readable module map: ${(err as Error).message}`);
    }
  }
  return ctx;
}

function eventsIn(dir: string, limit: number | undefined) {
  const events = findEvents(dir).filter((e) => e.hits !== undefined);
  if (events.length === 0) throw new InputError(dir, undefined, 'no events (eventNNNNNNNNN-hits.csv[.gz]) found');
  return limit === undefined ? events : events.slice(0, limit);
}

/** Builds and writes one graph per event; returns per-event metrics (when the events have truth). */
export function runGraphStage(opts: GraphStageOptions): { events: number; metrics: Record<string, EdgeMetrics> } {
  const config = loadConfig(graphConfigSchema, opts.configFile);
  const ctx = makeGraphContext(config, opts.configFile);
  const events = eventsIn(opts.inputDir, opts.limit);
  const progress = new Progress('graphs', events.length);
  const timingsMs: Record<string, number> = {};
  const metrics: Record<string, EdgeMetrics> = {};
  for (const files of events) {
    const event = readEvent(files, ['hits', ...(files.truth ? (['truth'] as const) : []), ...(files.particles ? (['particles'] as const) : [])]);
    const t0 = performance.now();
    const graph = buildGraph(event, ctx, config);
    timingsMs[files.eventId] = performance.now() - t0;
    const bytes = graphToArrow(graph);
    const names = graphFileNames(files.eventId);
    writeFileAtomic(path.join(opts.outputDir, names.nodes), bytes.nodes);
    writeFileAtomic(path.join(opts.outputDir, names.edges), bytes.edges);
    let detail = `${graph.hitId.length} nodes, ${graph.src.length} edges`;
    if (graph.truth) {
      const m = edgeMetrics(graph);
      metrics[files.eventId] = m;
      detail += `, eff(pT>1) ${m.byPt.pt1.efficiency.toFixed(4)}, purity ${m.purity.toFixed(4)}`;
    }
    progress.tick(1, detail);
  }
  writeProvenance(opts.outputDir, {
    stage: 'graphs',
    config,
    inputs: [opts.inputDir, ...(opts.configFile ? [opts.configFile] : []), ...(config.moduleMap.file && config.builder !== 'geometric' ? [config.moduleMap.file] : [])],
    timingsMs,
    // The map's content hash: a model trained on these graphs can be checked against a pipeline's map file.
    results: { layerPairs: ctx.model.pairs.length, ...(config.builder !== 'geometric' && config.moduleMap.file ? { moduleMapHash: contentHash([config.moduleMap.file]) } : {}), metrics },
  });
  return { events: events.length, metrics };
}

export interface ModuleMapStageOptions {
  /** Events with truth to learn from; or `simulate` instead. */
  inputDir?: string;
  /** Learn from this many events simulated in memory (MU = 200 on the built-in detector, seed `seed`), of which
   * only particles with pT ≥ learnMinPtGeV are propagated (the others cannot add a segment) and no noise is made:
   * several times faster per event than a full simulation, so the map can see thousands of events. */
  simulate?: { events: number; seed: number; pileup?: number };
  outputFile: string;
  configFile?: string;
  limit?: number;
}

/** Learns a module map (or, with builder 'ringMap', a ring map) from the true segments of the events in `inputDir`
 * (they need truth and particles) or of events simulated on the fly. */
export function runModuleMapStage(opts: ModuleMapStageOptions): { kind: 'module map' | 'ring map'; events: number; entries: number; segments: number } {
  const config = loadConfig(graphConfigSchema, opts.configFile);
  const ctx = makeGraphContext({ ...config, builder: 'geometric' }, opts.configFile);
  const { learnMinPtGeV, learnMaxVertexRMm, learnTrimFraction } = config.moduleMap;
  const rings = config.builder === 'ringMap';
  const kind = rings ? ('ring map' as const) : ('module map' as const);
  const ringLearner = new RingMapLearner(ctx.rings!.count, learnTrimFraction);
  const moduleLearner = new ModuleMapLearner(ctx.detector.moduleCount);
  const learn = (event: TrackmlEvent): void =>
    rings
      ? learnRingMapEvent(ringLearner, event, ctx, learnMinPtGeV, learnMaxVertexRMm)
      : learnModuleMapEvent(moduleLearner, event, ctx, learnMinPtGeV, learnMaxVertexRMm);
  const segmentsSeen = (): number => (rings ? ringLearner.segmentsSeen : moduleLearner.segmentsSeen);
  const t0 = performance.now();
  let source: string;
  let nEvents: number;
  if (opts.simulate) {
    const { events, seed, pileup = 200 } = opts.simulate;
    const sim = simulateConfig({ pileup, simulatedPtMinGeV: learnMinPtGeV, noiseFraction: 0 });
    const progress = new Progress(`${kind} (simulating)`, events);
    for (let i = 0; i < events; i++) {
      learn(simulateEvent(ctx.detector, sim, seed, i));
      progress.tick(1, `${segmentsSeen()} segments`);
    }
    source = `simulated: ${events} events, seed ${seed}, pileup ${pileup}, particles with pT >= ${learnMinPtGeV} GeV`;
    nEvents = events;
  } else {
    if (opts.inputDir === undefined) throw new InputError(undefined, undefined, `${kind}: --input DIR or --simulate N is required`);
    const inputDir = opts.inputDir;
    const events = eventsIn(inputDir, opts.limit);
    const progress = new Progress(kind, events.length);
    for (const files of events) {
      if (!files.truth) throw new InputError(inputDir, undefined, `${files.eventId}: no truth file; a ${kind} is learned from truth`);
      learn(readEvent(files, ['hits', 'truth', ...(files.particles ? (['particles'] as const) : [])]));
      progress.tick(1, `${segmentsSeen()} segments`);
    }
    source = inputDir;
    nEvents = events.length;
  }
  const info = {
    events: String(nEvents),
    segments: String(segmentsSeen()),
    learn_min_pt_gev: String(learnMinPtGeV),
    learn_max_vertex_r_mm: String(learnMaxVertexRMm),
    ...(rings ? { learn_trim_fraction: String(learnTrimFraction) } : {}),
    detector: config.detector,
    source,
  };
  let entries: number;
  if (rings) {
    const map = ringLearner.finish();
    entries = map.srcRing.length;
    writeFileAtomic(opts.outputFile, ringMapToArrow(map, ctx.rings!, info));
  } else {
    const map = moduleLearner.finish();
    entries = map.dstModule.length;
    writeFileAtomic(opts.outputFile, moduleMapToArrow(map, ctx.detector, info));
  }
  // Ring maps are small and several ship side by side: each gets its own provenance file.
  writeProvenance(path.dirname(opts.outputFile), {
    stage: rings ? `ring-map-${path.basename(opts.outputFile).replace(/\.arrow$/, '')}` : 'module-map',
    config,
    inputs: [source],
    timingsMs: { total: performance.now() - t0 },
    results: { entries, segments: segmentsSeen(), events: nEvents },
  });
  return { kind, events: nEvents, entries, segments: segmentsSeen() };
}
