// One event through the pipeline, as a unit a batch loop, the event pool or a queue worker calls. The API, for a
// worker that owns its loop (e.g. a BullMQ consumer):
//
//   const ctx = await makePipelineContext(outputDir, pipelineConfig({ configFile }), configFile); // once
//   const { record, cached } = await processEvent(ctx, files);  // per event: files = findEvents(dir)[i]
//
// processEvent returns the event's trusted record when one matches (no work), else reads → graph → edge scores →
// tracks, writes each output file atomically (`<event>-submission.csv`, with saveGraphs its graph and scores), and
// then its record `<event>-record.json`, LAST: the commit point. The record is self-describing: its cache key (a
// hash over the content of the event's files, the whole config, the model and module map bytes, the code), its
// inputs' and outputs' SHA-256, the results (score, counts, histograms, timings) and the run settings, so
// `summarizeRecords(inputDir, outputDir)` (run-pipeline.ts) rebuilds the report from records alone, e.g. after
// shards or queue workers. A kill at any point leaves the event either committed or recomputed on the next call.
// processEvent takes no lock: different events in one output folder are independent (separate files), so several
// workers may share a folder as long as each event goes to one worker at a time (runPipeline locks the folder for
// its own run; a queue gives each job to one worker). Temp files a killed worker left (`*.tmp-<pid>`) are removed
// by removeStaleTemps (src/core/fs.ts), which judges pids on this host only: with workers on several machines
// sharing the folder, run it when none is writing. Errors: an InputError names the bad input (file, row).
import path from 'node:path';
import { cacheKey, digestInputs, inputHashes, RECORD_FORMAT, trustedRecord, writeRecord, type InputDigest } from '../core/cache.ts';
import { loadConfig, parseConfig } from '../core/config.ts';
import { writeFileAtomic } from '../core/fs.ts';
import type { FileDigest } from '../core/hash.ts';
import { codeHash, codeVersionAsync } from '../core/provenance.ts';
import { buildGraph, computeNodeTruth, labelEdges, makeGraphContext, type GraphStageContext } from '../graph/index.ts';
import { checkHitsMatch, readEvent, readParticles, readTruth, type EventFiles, type TrackmlEvent } from '../trackml/index.ts';
import { finishEvent, lapTimer, type EventRecord, type FinishJob, type FinishResult, type StageSpan } from './finish-event.ts';
import { pipelineConfigSchema, type PipelineConfig, type PipelineConfigInput } from './pipeline-config.ts';
import { gnnScorer, gnnThreads, truthScorer, type EdgeScorer } from './scorers.ts';
import { tracksThreshold } from './track-event.ts';

/** What every event of a run shares, loaded once. */
export interface PipelineContext {
  outputDir: string;
  config: PipelineConfig;
  graphCtx: GraphStageContext;
  scorer: EdgeScorer;
  tracksCfg: PipelineConfig['tracks'] & { threshold: number };
  /** The key parts every event shares: stage, record format, code, whole config, scorer (model hash), the graph
   * context's files (module map, detectors) by content. */
  keyBase: Record<string, unknown>;
  run: EventRecord['run'];
}

/** Loads the config (file, object or defaults); `saveGraphs` (`--save-graphs`) overrides the config's. */
export function pipelineConfig(opts: { configFile?: string; config?: PipelineConfigInput; saveGraphs?: boolean }): PipelineConfig {
  const config =
    opts.configFile !== undefined
      ? loadConfig(pipelineConfigSchema, opts.configFile)
      : parseConfig(pipelineConfigSchema, opts.config ?? {}, 'pipeline config');
  return opts.saveGraphs ? { ...config, saveGraphs: true } : config;
}

/** The scorer the config names (the GNN is loaded, and its files hashed, once, here), for one of `workers` event
 * workers (its GNN threads: `gnnThreads`). */
export async function makeScorer(config: PipelineConfig, workers = 1): Promise<EdgeScorer> {
  return config.scorer === 'truth'
    ? truthScorer(config.truthNoise)
    : gnnScorer(config.model, config.backend, undefined, config.filter, gnnThreads(config.gnnThreads, workers));
}

/** The context for `outputDir`: graph context (module map read and hashed) and scorer (or the one given). */
export async function makePipelineContext(
  outputDir: string,
  config: PipelineConfig,
  configSource: string,
  scorer?: EdgeScorer,
  workers = 1,
): Promise<PipelineContext> {
  const version = codeVersionAsync(); // git runs beside the module map and model loading
  const graphCtx = makeGraphContext(config.graph, configSource);
  const s = scorer ?? (await makeScorer(config, workers));
  const threshold = tracksThreshold(config, s);
  const code = codeHash('pipeline');
  const codeVersion = await version;
  return {
    outputDir,
    config,
    graphCtx,
    scorer: s,
    tracksCfg: { ...config.tracks, threshold },
    keyBase: { stage: 'pipeline', format: RECORD_FORMAT, code, config, scorer: s.id, context: inputHashes(graphCtx.inputs) },
    run: { config, scorer: { id: s.id, label: s.label }, codeVersion, codeHash: code },
  };
}

/** The event's input digests (hits, truth, particles: what the pipeline reads) and its cache key. */
export function eventKey(ctx: PipelineContext, files: EventFiles): { key: string; inputs: Record<string, InputDigest> } {
  const inputs = digestInputs({ hits: files.hits, truth: files.truth, particles: files.particles });
  return { key: cacheKey({ ...ctx.keyBase, inputs: inputHashes(inputs) }), inputs };
}

/** The event's record when it can be trusted for `key` (its outputs intact), else undefined. */
export function cachedEvent(ctx: PipelineContext, eventId: string, key: string): EventRecord | undefined {
  return trustedRecord<EventRecord>(ctx.outputDir, 'pipeline', eventId, key);
}

/** First half of an event: read, graph, edge scores (the GNN runs on this thread). Truth that does not cover
 * exactly the event's hits is the input's fault, named here before anything is written. */
export async function prepareEvent(
  ctx: PipelineContext,
  files: EventFiles,
  /** The event's hits read elsewhere (a worker thread, while this one loaded the context): its read time and span
   * count as the read stage's. */
  preRead?: Promise<{ event: TrackmlEvent; ms: number; spans: StageSpan[] }>,
): Promise<FinishJob> {
  const { config, graphCtx, scorer } = ctx;
  const spans: StageSpan[] = [];
  const done = preRead && (await preRead);
  const lap = lapTimer(spans);
  // Hits only inside the timed tracking chain; truth is evaluation, read and joined under "score".
  const event = done ? done.event : readEvent(files, ['hits']);
  let read = lap(done ? undefined : 'read');
  if (done) {
    read = done.ms;
    spans.push(...done.spans);
  }
  const graph = buildGraph(event, graphCtx, config.graph);
  const graphMs = lap('graph');
  let evalMs = 0;
  if (files.truth) {
    event.truth = readTruth(files.truth);
    checkHitsMatch(event.truth.hitId, files.truth, event.hits.hitId, files.hits!, true);
    if (files.particles) event.particles = readParticles(files.particles);
    graph.truth = computeNodeTruth(graph.hitId, graph.layer, event.truth, event.particles);
    graph.y = labelEdges(graph.src, graph.dst, graph.truth);
    evalMs += lap('truth');
  }
  const scores = await scorer.score(graph);
  if (scores.length !== graph.src.length)
    throw new Error(`scorer ${scorer.id} returned ${scores.length} scores for ${graph.src.length} edges`);
  const gnn = lap('gnn');
  return {
    eventId: files.eventId,
    truthFile: files.truth,
    saveGraphs: config.saveGraphs,
    evaluation: config.evaluation,
    tracksCfg: ctx.tracksCfg,
    event,
    graph,
    scores,
    timingsMs: { read, graph: graphMs, gnn },
    evalMs,
    spans,
  };
}

/** How the run that computed an event ran it (EventResult's wallMs, firstOfRun, overlapped): kept in the record. */
export type RunTiming = Pick<EventRecord, 'wallMs' | 'firstOfRun' | 'overlapped'>;

/** Commits a finished event: each output file atomically, then the record naming their hashes (the commit
 * point). The file writes count into the event's "write" time. */
export function commitEvent(
  ctx: PipelineContext,
  eventId: string,
  key: string,
  inputs: Record<string, InputDigest>,
  fin: FinishResult,
  timing: RunTiming = {},
): EventRecord {
  const t0 = performance.now();
  const outputs: Record<string, FileDigest> = {};
  for (const [name, bytes] of Object.entries(fin.outputs)) outputs[name] = writeFileAtomic(path.join(ctx.outputDir, name), bytes);
  const result = fin.result;
  const record: EventRecord = {
    format: RECORD_FORMAT,
    stage: 'pipeline',
    eventId,
    cacheKey: key,
    inputs: { ...inputs, ...ctx.graphCtx.inputs, ...ctx.scorer.inputs },
    outputs,
    run: ctx.run,
    ...result,
    ...timing,
    timingsMs: { ...result.timingsMs, write: result.timingsMs.write + performance.now() - t0 },
  };
  writeRecord(ctx.outputDir, record);
  return record;
}

/** One whole event, inline: its trusted record when there is one, else read → graph → scores → tracks → commit.
 * What a queue worker holding a loaded context calls per event. */
export async function processEvent(ctx: PipelineContext, files: EventFiles): Promise<{ record: EventRecord; cached: boolean }> {
  const { key, inputs } = eventKey(ctx, files);
  const cached = cachedEvent(ctx, files.eventId, key);
  if (cached) return { record: cached, cached: true };
  const job = await prepareEvent(ctx, files);
  return { record: commitEvent(ctx, files.eventId, key, inputs, finishEvent(job)), cached: false };
}
