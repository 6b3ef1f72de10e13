// The graph stage as run from the command line: read events from a directory, build and write one graph per
// event (Arrow files, atomic, committed by a per-event record: a rerun skips events whose inputs, config, module map
// and code are unchanged), record metrics and provenance; read graphs back; and learn a module map from simulated
// events. All I/O of the stage lives here; the algorithms it calls do none.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  cacheKey,
  digestInputs,
  inputHashes,
  RECORD_FORMAT,
  trustedRecord,
  writeRecord,
  type InputDigest,
  type RecordBase,
} from '../core/cache.ts';
import { InputError } from '../core/errors.ts';
import { buildDetectorIndex, loadDetector, type DetectorIndex } from '../geometry/index.ts';
import { checkOutputDir, checkOutputFile, inputFsError, removeStaleTemps, writeFileAtomic } from '../core/fs.ts';
import { digestBytes } from '../core/hash.ts';
import { loadConfig } from '../core/config.ts';
import { openRunDir } from '../core/lock.ts';
import { inShard, shardTag, type Shard } from '../core/shard.ts';
import { Progress } from '../core/progress.ts';
import { codeHash, writeProvenance } from '../core/provenance.ts';
import { graphEventIds, graphFileNames } from '../core/run-files.ts';
import { simulateConfig } from '../simulate/config.ts';
import { simulateEvent } from '../simulate/simulate-event.ts';
import { checkHitsMatch, findEvents, hitRowLookup, readEvent, type EventFiles, type Hits } from '../trackml/index.ts';
import { graphFromArrow, graphToArrow, moduleMapToArrow, ringMapToArrow } from './arrow-io.ts';
import { NODE_FEATURES, NODE_R, NODE_Z, R_SCALE_MM, Z_SCALE_MM, type Graph } from './graph.ts';
import { buildGraph, learnModuleMapEvent, learnRingMapEvent, type GraphContext } from './build.ts';
import type { TrackmlEvent } from '../trackml/types.ts';
import { graphConfigSchema, type GraphConfig } from './config.ts';
import { graphContextFrom } from './context.ts';
import { edgeMetrics, type EdgeMetrics } from './metrics.ts';
import { ModuleMapLearner } from './module-map.ts';
import { RingMapLearner } from './ring-map.ts';

export interface GraphStageOptions {
  inputDir: string;
  outputDir: string;
  configFile?: string;
  /** Only the first N events. */
  limit?: number;
  /** Only this shard's events (`--shard I/N`, src/core/shard.ts). */
  shard?: Shard;
}

export { graphFileNames } from '../core/run-files.ts';

/** What graph building needs besides the event, and the content hashes of the files it came from (module map,
 * detectors) for cache keys: the map is hashed from the very bytes that were parsed. */
export type GraphStageContext = GraphContext & { detector: DetectorIndex; inputs: Record<string, InputDigest> };

/** Detector index and layer model for `config` (and the module map when the builder needs one), from the files
 * the config names, with their content digests. */
export function makeGraphContext(config: GraphConfig, configSource = 'config'): GraphStageContext {
  if (config.detectorsFile !== undefined && !existsSync(config.detectorsFile))
    throw new InputError(configSource, undefined, `detectorsFile: ${config.detectorsFile} not found`);
  const inputs = digestInputs({ detectors: config.detectorsFile });
  const detector = buildDetectorIndex(loadDetector(config.detectorsFile));
  let moduleMapBytes: Uint8Array | undefined;
  if (config.builder === 'moduleMap' || config.builder === 'ringMap') {
    const file = config.moduleMap.file;
    if (file === undefined) throw new InputError(configSource, undefined, `moduleMap.file: required when builder is ${config.builder}`);
    if (!existsSync(file))
      throw new InputError(file, undefined, 'module map not found (build it with `npm run stage:graphs -- module-map`)');
    moduleMapBytes = readFileSync(file);
    inputs.moduleMap = { file, ...digestBytes(moduleMapBytes) };
  }
  return { ...graphContextFrom(config, detector, moduleMapBytes), inputs };
}

function eventsIn(dir: string, limit: number | undefined) {
  const events = findEvents(dir).filter((e) => e.hits !== undefined);
  if (events.length === 0) throw new InputError(dir, undefined, 'no events (eventNNNNNNNNN-hits.csv[.gz]) found');
  return limit === undefined ? events : events.slice(0, limit);
}

/** `<event>-graphs-record.json`: the graph files it vouches for, their size and (with truth) edge metrics. */
export interface GraphRecord extends RecordBase {
  nodes: number;
  edges: number;
  metrics?: EdgeMetrics;
  timingsMs: { read: number; graph: number; write: number };
}

/** Builds and writes one graph per event (events whose record is current are skipped); returns per-event metrics
 * (when the events have truth). */
export function runGraphStage(opts: GraphStageOptions): { events: number; computed: number; metrics: Record<string, EdgeMetrics> } {
  checkOutputDir(opts.outputDir);
  const config = loadConfig(graphConfigSchema, opts.configFile);
  const ctx = makeGraphContext(config, opts.configFile);
  const events = inShard(eventsIn(opts.inputDir, opts.limit), opts.shard);
  if (events.length === 0) return { events: 0, computed: 0, metrics: {} };
  const release = openRunDir(opts.outputDir, opts.shard);
  try {
    const progress = new Progress('graphs', events.length);
    const timingsMs: Record<string, number> = {};
    const metrics: Record<string, EdgeMetrics> = {};
    const base = { stage: 'graphs', format: RECORD_FORMAT, code: codeHash('graph'), config, context: inputHashes(ctx.inputs) };
    let computed = 0;
    for (const files of events) {
      const inputs = digestInputs({ hits: files.hits, truth: files.truth, particles: files.particles });
      const key = cacheKey({ ...base, inputs: inputHashes(inputs) });
      const cached = trustedRecord<GraphRecord>(opts.outputDir, 'graphs', files.eventId, key);
      const record = cached ?? buildGraphFiles(opts.outputDir, files, inputs, key, ctx, config);
      if (record.metrics) metrics[files.eventId] = record.metrics;
      timingsMs[files.eventId] = record.timingsMs.graph;
      if (!cached) computed++;
      let detail = `${files.eventId} ${record.nodes} nodes, ${record.edges} edges${cached ? ', up to date' : ''}`;
      if (record.metrics)
        detail += `, eff(pT>1) ${record.metrics.byPt.pt1.efficiency.toFixed(4)}, purity ${record.metrics.purity.toFixed(4)}`;
      progress.tick(1, detail);
    }
    writeProvenance(opts.outputDir, {
      stage: opts.shard ? `graphs-${shardTag(opts.shard)}` : 'graphs',
      config,
      inputs: [opts.inputDir, ...(opts.configFile ? [opts.configFile] : []), ...Object.values(ctx.inputs).map((d) => d.file)],
      timingsMs,
      results: { layerPairs: ctx.model.pairs.length, computed, contextSha256: inputHashes(ctx.inputs), metrics },
    });
    return { events: events.length, computed, metrics };
  } finally {
    release();
  }
}

/** One event: read, build, write the two graph files, then the record that vouches for them. */
function buildGraphFiles(
  dir: string,
  files: EventFiles,
  inputs: Record<string, InputDigest>,
  key: string,
  ctx: GraphStageContext,
  config: GraphConfig,
): GraphRecord {
  const t0 = performance.now();
  const event = readEvent(files, [
    'hits',
    ...(files.truth ? (['truth'] as const) : []),
    ...(files.particles ? (['particles'] as const) : []),
  ]);
  const t1 = performance.now();
  const graph = buildGraph(event, ctx, config);
  const t2 = performance.now();
  const bytes = graphToArrow(graph);
  const names = graphFileNames(files.eventId);
  const outputs = {
    [names.nodes]: writeFileAtomic(path.join(dir, names.nodes), bytes.nodes),
    [names.edges]: writeFileAtomic(path.join(dir, names.edges), bytes.edges),
  };
  const record: GraphRecord = {
    format: RECORD_FORMAT,
    stage: 'graphs',
    eventId: files.eventId,
    cacheKey: key,
    inputs: { ...inputs, ...ctx.inputs },
    outputs,
    nodes: graph.hitId.length,
    edges: graph.src.length,
    metrics: graph.truth ? edgeMetrics(graph) : undefined,
    timingsMs: { read: t1 - t0, graph: t2 - t1, write: performance.now() - t2 },
  };
  writeRecord(dir, record);
  return record;
}

/** The graph of `eventId` in `dir` (its two Arrow files). */
export function readGraph(dir: string, eventId: string): Graph {
  const names = graphFileNames(eventId);
  const files = { nodes: path.join(dir, names.nodes), edges: path.join(dir, names.edges) };
  // Each file's problem is that file's (a truncated edges.arrow is not the nodes file's fault).
  return graphFromArrow(readGraphFile(files.nodes), readGraphFile(files.edges), files);
}

/** A graph file's bytes; a missing or unreadable file is the user's error, named. */
function readGraphFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    const named = inputFsError(file, err);
    throw named instanceof InputError
      ? named
      : new InputError(file, undefined, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Checks that `graph` was built from these hits: every node's hit id is in the hits file, at the position the node
 * records (r and z within 1 mm). Graphs and hits of different events are the input's fault: one line naming both. */
export function checkGraphMatchesHits(graph: Graph, hits: Hits, nodesFile: string, hitsFile: string): void {
  checkHitsMatch(graph.hitId, nodesFile, hits.hitId, hitsFile, false, false);
  const rowOf = hitRowLookup(hits.hitId);
  for (let k = 0; k < graph.hitId.length; k++) {
    const i = rowOf(graph.hitId[k]);
    const rMm = graph.nodeFeatures[k * NODE_FEATURES + NODE_R] * R_SCALE_MM;
    const zMm = graph.nodeFeatures[k * NODE_FEATURES + NODE_Z] * Z_SCALE_MM;
    if (Math.abs(rMm - Math.hypot(hits.x[i], hits.y[i])) > 1 || Math.abs(zMm - hits.z[i]) > 1)
      throw new InputError(
        nodesFile,
        undefined,
        `hit_id ${graph.hitId[k]} (row ${k}) lies elsewhere in ${hitsFile}: the graph was built from another event's hits`,
      );
  }
}

/** Event ids of the graphs in `dir`; one line when there are none. */
export function graphEventIdsIn(dir: string): string[] {
  if (!existsSync(dir)) throw new InputError(dir, undefined, 'graph directory not found');
  const ids = graphEventIds(dir);
  if (ids.length === 0)
    throw new InputError(dir, undefined, 'no graphs (<event>-nodes.arrow + <event>-edges.arrow) found; run `npm run stage:graphs` first');
  return ids;
}

/** Every graph in `dir` (the first `limit`). `needLabels`: why truth labels are needed — a graph without them is then
 * an error naming its edges file. */
export function readGraphs(dir: string, limit?: number, needLabels?: string): Graph[] {
  const ids = graphEventIdsIn(dir);
  return (limit === undefined ? ids : ids.slice(0, limit)).map((id) => {
    const g = readGraph(dir, id);
    if (needLabels !== undefined && !g.y)
      throw new InputError(path.join(dir, graphFileNames(id).edges), undefined, `no truth labels (column y); ${needLabels}`);
    return g;
  });
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
export function runModuleMapStage(opts: ModuleMapStageOptions): {
  kind: 'module map' | 'ring map';
  events: number;
  entries: number;
  segments: number;
} {
  checkOutputFile(opts.outputFile);
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
  removeStaleTemps(path.dirname(opts.outputFile));
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
