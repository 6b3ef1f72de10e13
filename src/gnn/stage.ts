// The GNN stages as run from the command line: read graph directories, train with checkpoints and resume, and
// write per-event edge scores. All I/O of the GNN lives here; model, train and infer do none.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { contentHash } from '../core/cache.ts';
import { InputError } from '../core/errors.ts';
import { edgeScoresFileName, edgeScoresToArrow, graphFromArrow } from '../graph/arrow-io.ts';
import type { Graph } from '../graph/graph.ts';
import { loadConfig } from '../core/config.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { Progress } from '../core/progress.ts';
import { codeVersion, writeProvenance } from '../core/provenance.ts';
import { describeBackend, selectBackend, type BackendChoice, type BackendReport } from './backend.ts';
import type { EngineChoice } from './backend-names.ts';
import { describeEngine, openEngine, type EdgeEngine } from './engine.ts';
import { loadModel, loadTrainState, saveModel, saveTrainState } from './checkpoint.ts';
import { trainConfigSchema, type TrainConfig } from './config.ts';
import { classifyEdges } from './infer.ts';
import { chooseFilterThreshold, chooseThreshold, scoreMetrics, TARGET_PT_GEV, type ScoreMetrics } from './metrics.ts';
import { filterGraph, type FilterConfig } from './filter.ts';
import { paramCount, type InteractionNetwork } from './model.ts';
import { initialState, trainModel, type TrainState } from './train.ts';

/** Graph event ids in `dir` (from `<event>-nodes.arrow` / `<event>-edges.arrow` pairs), sorted. */
export function graphEventIds(dir: string): string[] {
  if (!existsSync(dir)) throw new InputError(dir, undefined, 'graph directory not found');
  const ids = readdirSync(dir)
    .filter((f) => f.endsWith('-nodes.arrow'))
    .map((f) => f.slice(0, -'-nodes.arrow'.length))
    .filter((id) => existsSync(path.join(dir, `${id}-edges.arrow`)))
    .sort();
  if (ids.length === 0) throw new InputError(dir, undefined, 'no graphs (<event>-nodes.arrow + <event>-edges.arrow) found; run `npm run stage:graphs` first');
  return ids;
}

export function readGraph(dir: string, eventId: string): Graph {
  const nodes = path.join(dir, `${eventId}-nodes.arrow`);
  try {
    return graphFromArrow(readFileSync(nodes), readFileSync(path.join(dir, `${eventId}-edges.arrow`)), nodes);
  } catch (err) {
    throw new InputError(nodes, undefined, `not a readable graph: ${(err as Error).message}`);
  }
}

export function readGraphs(dir: string, limit?: number): Graph[] {
  const ids = graphEventIds(dir);
  return (limit === undefined ? ids : ids.slice(0, limit)).map((id) => readGraph(dir, id));
}

/** A loaded edge filter and the threshold it cuts at. */
export interface LoadedFilter {
  model: InteractionNetwork;
  threshold: number;
  dir: string;
}

export function loadFilter(config: FilterConfig, source?: string): LoadedFilter {
  if (!existsSync(path.join(config.model, 'model.json'))) throw new InputError(source, undefined, `filter.model: no model.json in ${config.model}`);
  const { model, file } = loadModel(config.model);
  const threshold = config.threshold ?? (typeof file.meta.threshold === 'number' ? file.meta.threshold : undefined);
  if (threshold === undefined) throw new InputError(source, undefined, `filter.threshold: required (${config.model} has no calibrated threshold)`);
  return { model, threshold, dir: config.model };
}

/** Identifies a filter's weights wherever its directory is copied to (model.json changes when it is calibrated). */
export function filterWeightsHash(dir: string): string {
  return contentHash([path.join(dir, 'weights.bin')]);
}

/** readGraphs, each graph cut to the edges `filter` keeps as it is read (only the filtered graphs stay in memory). */
export async function readFilteredGraphs(dir: string, limit: number | undefined, filter: LoadedFilter | undefined, chunkEdges?: number): Promise<Graph[]> {
  if (!filter) return readGraphs(dir, limit);
  const ids = graphEventIds(dir);
  const out: Graph[] = [];
  for (const id of limit === undefined ? ids : ids.slice(0, limit)) out.push((await filterGraph(readGraph(dir, id), filter.model, filter.threshold, chunkEdges)).graph);
  return out;
}

async function openEngineOrInputError(modelPath: string, choice: EngineChoice): Promise<EdgeEngine> {
  try {
    return await openEngine(modelPath, choice);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(undefined, undefined, (err as Error).message);
  }
}

async function activateBackend(choice: BackendChoice): Promise<BackendReport> {
  let report: BackendReport;
  try {
    report = await selectBackend(choice);
  } catch (err) {
    throw new InputError(undefined, undefined, (err as Error).message);
  }
  process.stderr.write(describeBackend(report) + '\n');
  return report;
}

function graphSummary(dir: string, graphs: readonly Graph[]): Record<string, unknown> {
  const prov = path.join(dir, 'provenance-graphs.json');
  let graphStage: unknown;
  if (existsSync(prov)) {
    const p = JSON.parse(readFileSync(prov, 'utf8')) as { config?: unknown; codeVersion?: string; inputs?: string[]; results?: { moduleMapHash?: string } };
    graphStage = { config: p.config, codeVersion: p.codeVersion, inputs: p.inputs, ...(p.results?.moduleMapHash ? { moduleMapHash: p.results.moduleMapHash } : {}) };
  }
  return {
    dir,
    events: graphs.map((g) => g.eventId),
    edges: graphs.reduce((n, g) => n + g.src.length, 0),
    nodes: graphs.reduce((n, g) => n + g.hitId.length, 0),
    graphStage,
  };
}

export interface TrainStageOptions {
  configFile?: string;
  /** Overrides config.backend. */
  backend?: BackendChoice;
  /** Continue from <outputDir>/last. */
  resume?: boolean;
}

export interface TrainStageResult {
  outputDir: string;
  backend: string;
  epochs: number;
  best: ScoreMetrics | undefined;
  parameters: number;
}

/** `npm run train`: trains, writes <outputDir>/last (every epoch, resumable), <outputDir>/best and history. */
export async function runTrainStage(opts: TrainStageOptions): Promise<TrainStageResult> {
  const config: TrainConfig = loadConfig(trainConfigSchema, opts.configFile);
  const report = await activateBackend(opts.backend ?? config.backend);
  const filter = config.filter ? loadFilter(config.filter, opts.configFile) : undefined;
  const train = await readFilteredGraphs(config.trainDir, config.trainLimit, filter, config.inferenceChunkEdges);
  const val = await readFilteredGraphs(config.valDir, config.valLimit, filter, config.inferenceChunkEdges);
  for (const g of [...train, ...val]) if (!g.y) throw new InputError(g.eventId, undefined, 'graph has no truth labels (y); training needs simulated or truth-labelled events');
  const lastDir = path.join(config.outputDir, 'last');
  const bestDir = path.join(config.outputDir, 'best');
  let resume: TrainState | undefined;
  if (opts.resume) {
    resume = loadTrainState(lastDir);
    if (JSON.stringify(resume.model.config) !== JSON.stringify(config.model))
      throw new InputError(opts.configFile, undefined, `model config differs from the checkpoint in ${lastDir}; cannot resume`);
    process.stderr.write(`resuming from ${lastDir} after epoch ${resume.epoch}\n`);
  } else if (config.initFrom) {
    const start = loadModel(config.initFrom);
    const shape = (c: typeof config.model): string => JSON.stringify([c.hidden, c.iterations, c.mlpLayers, c.derivedFeatures, c.tripletFeatures]);
    if (shape(start.model.config) !== shape(config.model))
      throw new InputError(opts.configFile, undefined, `model shape (hidden, iterations, mlpLayers, edge inputs) differs from the one of initFrom (${config.initFrom}); cannot fine-tune it`);
    // Same weights, this config's remaining settings (e.g. tripletPtGeV of a curriculum step).
    start.model.config = config.model;
    resume = initialState(config, train, start.model);
    process.stderr.write(`fine-tuning ${config.initFrom}\n`);
  }
  const data = {
    train: graphSummary(config.trainDir, train),
    validation: graphSummary(config.valDir, val),
    ...(filter ? { filter: { model: filter.dir, threshold: filter.threshold, weightsHash: filterWeightsHash(filter.dir) } } : {}),
  };
  const parameters = paramCount(config.model);
  process.stderr.write(`model: hidden ${config.model.hidden}, ${config.model.iterations} iterations, ${config.model.mlpLayers}-layer MLPs, ${parameters} parameters\n`);
  const meta = (state: TrainState, extra: Record<string, unknown>) => ({
    trainConfig: config,
    codeVersion: codeVersion(),
    backend: report.backend,
    data,
    epoch: state.epoch,
    positiveWeight: state.positiveWeight,
    // The curves travel with the model, so a report on any saved model can draw them.
    history: state.history,
    ...extra,
  });
  let progress: Progress | undefined;
  let bestRecord: ScoreMetrics | undefined = resume?.history.find((r) => r.valLoss === resume!.bestValLoss)?.val;
  let nextEpoch = (resume?.epoch ?? 0) + 1;
  const t0 = performance.now();
  const state = await trainModel(config, train, val, {
    resume,
    onStep: (done, total, loss) => {
      if (done === 1) progress = new Progress(`epoch ${nextEpoch}`, total, 'steps');
      progress?.tick(1, `loss ${loss.toFixed(4)}`);
    },
    onEpoch: async (s, record, isBest) => {
      const v = record.val;
      process.stderr.write(
        `epoch ${record.epoch}: lr ${record.learningRate.toExponential(2)} train loss ${record.trainLoss.toFixed(4)} val loss ${record.valLoss.toFixed(4)} ` +
          `AUC ${v.auc.toFixed(4)} AUC(pT>1) ${v.aucPt1.toFixed(4)} eff ${v.efficiency.toFixed(4)} purity ${v.purity.toFixed(4)} eff(pT>1) ${v.efficiencyPt1.toFixed(4)} ` +
          `purity(pT>1) ${v.purityPt1.toFixed(4)} at ${v.threshold} (${record.seconds.toFixed(1)} s, ${Math.round(record.edgesPerSecond)} edges/s)${isBest ? ' *best' : ''}\n`,
      );
      await saveTrainState(lastDir, s, meta(s, { validation: v }));
      if (isBest) {
        bestRecord = v;
        await saveModel(bestDir, s.model, meta(s, { validation: v }));
      }
      writeFileAtomic(path.join(config.outputDir, 'history.json'), JSON.stringify(s.history, null, 2) + '\n');
      nextEpoch = record.epoch + 1;
    },
  });
  const calibrated = existsSync(path.join(bestDir, 'model.json')) ? await calibrateThreshold(bestDir, val, config.inferenceChunkEdges, targetPt(config), config.filterEfficiency) : undefined;
  if (calibrated) process.stderr.write(`threshold ${calibrated.threshold}: validation eff(pT>1) ${calibrated.efficiencyPt1.toFixed(4)}, purity ${calibrated.purity.toFixed(4)}, purity(pT>1) ${calibrated.purityPt1.toFixed(4)}\n`);
  writeProvenance(config.outputDir, {
    stage: 'train',
    config,
    inputs: [config.trainDir, config.valDir, ...(opts.configFile ? [opts.configFile] : [])],
    timingsMs: { total: performance.now() - t0 },
    results: { backend: report.backend, backendAttempts: report.attempts, parameters, epochs: state.epoch, best: bestRecord, calibrated },
  });
  return { outputDir: config.outputDir, backend: report.backend, epochs: state.epoch, best: bestRecord, parameters };
}

/** `npm run train -- --config … --calibrate`: picks the threshold of <outputDir>/best again on the config's
 * validation graphs (e.g. after adding validation events), without training. */
export async function runCalibrateStage(
  opts: Pick<TrainStageOptions, 'configFile' | 'backend'> & { /** Graphs to calibrate on instead of the config's valDir. */ valDir?: string },
): Promise<{ modelDir: string; events: number } & ReturnType<typeof chooseThreshold>> {
  const config: TrainConfig = loadConfig(trainConfigSchema, opts.configFile);
  const modelDir = path.join(config.outputDir, 'best');
  if (!existsSync(path.join(modelDir, 'model.json'))) throw new InputError(modelDir, undefined, 'no trained model here to calibrate; train first');
  await activateBackend(opts.backend ?? config.backend);
  const filter = config.filter ? loadFilter(config.filter, opts.configFile) : undefined;
  const val = await readFilteredGraphs(opts.valDir ?? config.valDir, opts.valDir ? undefined : config.valLimit, filter, config.inferenceChunkEdges);
  for (const g of val) if (!g.y) throw new InputError(g.eventId, undefined, 'graph has no truth labels (y); calibration needs them');
  const chosen = await calibrateThreshold(modelDir, val, config.inferenceChunkEdges, targetPt(config), config.filterEfficiency);
  return { modelDir, events: val.length, ...chosen };
}

/** The pT the threshold is balanced at: the training target's when it has one, else 1 GeV. */
function targetPt(config: TrainConfig): number {
  return config.targetMinPtGeV > 0 ? config.targetMinPtGeV : TARGET_PT_GEV;
}

/** Picks the working threshold of the model in `modelDir` on validation graphs (chooseThreshold; for an edge filter,
 * with `filterEfficiency`, chooseFilterThreshold) and records it in its model.json (meta.threshold), which
 * stage:infer then uses by default. */
export async function calibrateThreshold(
  modelDir: string, val: readonly Graph[], chunkEdges?: number, targetPtGeV = TARGET_PT_GEV, filterEfficiency?: number,
): Promise<ReturnType<typeof chooseThreshold>> {
  const { model, file } = loadModel(modelDir);
  const scores: Float32Array[] = [];
  for (const g of val) scores.push(await classifyEdges(g, model, { chunkEdges }));
  const chosen = filterEfficiency === undefined ? chooseThreshold(val, scores, targetPtGeV) : chooseFilterThreshold(val, scores, targetPtGeV, filterEfficiency);
  const at = { ...chosen, ...(targetPtGeV !== TARGET_PT_GEV ? { targetPtGeV } : {}), graphs: val.map((g) => g.eventId) };
  await saveModel(modelDir, model, { ...file.meta, threshold: chosen.threshold, validationAtThreshold: at });
  return chosen;
}

export interface InferStageOptions {
  inputDir: string;
  outputDir: string;
  modelPath: string;
  backend?: EngineChoice;
  limit?: number;
  chunkEdges?: number;
  /** Threshold for the metrics reported when graphs have truth (default: the model's training threshold or 0.5). */
  threshold?: number;
}

/** `<event>-edge-scores.arrow` (the format lives with the graph files, src/graph/arrow-io.ts). */
export const scoreFileName = edgeScoresFileName;

/** `npm run stage:infer`: one `<event>-edge-scores.arrow` per graph (columns src, dst as node rows of the graph,
 * src_hit_id, dst_hit_id, score), plus provenance with metrics when the graphs carry truth. */
export async function runInferStage(opts: InferStageOptions): Promise<{ events: number; backend: string; metrics: Record<string, ScoreMetrics> }> {
  // ort-cpu or a tfjs backend (engine.ts); tfjs chunks its edges (chunkEdges), ONNX Runtime runs the whole graph.
  const engine = await openEngineOrInputError(opts.modelPath, opts.backend ?? 'auto');
  process.stderr.write(describeEngine(engine) + '\n');
  const meta = engine.meta;
  const trainThreshold = (meta.trainConfig as { threshold?: number } | undefined)?.threshold;
  // A threshold chosen after training (meta.threshold) wins over the one training reported at.
  const chosen = typeof meta.threshold === 'number' ? meta.threshold : undefined;
  const threshold = opts.threshold ?? chosen ?? trainThreshold ?? 0.5;
  const ids = graphEventIds(opts.inputDir);
  const events = opts.limit === undefined ? ids : ids.slice(0, opts.limit);
  const progress = new Progress('infer', events.length);
  const timingsMs: Record<string, number> = {};
  const metrics: Record<string, ScoreMetrics> = {};
  for (const id of events) {
    const g = readGraph(opts.inputDir, id);
    const t0 = performance.now();
    const scores = await engine.classify(g, opts.chunkEdges);
    timingsMs[id] = performance.now() - t0;
    writeFileAtomic(path.join(opts.outputDir, scoreFileName(id)), edgeScoresToArrow(g, scores));
    let detail = `${g.src.length} edges, ${timingsMs[id].toFixed(0)} ms`;
    if (g.y) {
      const m = scoreMetrics(g, scores, threshold);
      metrics[id] = m;
      detail += `, AUC ${m.auc.toFixed(4)}, eff(pT>1) ${m.efficiencyPt1.toFixed(4)}, purity ${m.purity.toFixed(4)}`;
    }
    progress.tick(1, detail);
  }
  writeProvenance(opts.outputDir, {
    stage: 'infer',
    config: { model: opts.modelPath, modelConfig: engine.weights.config, threshold, chunkEdges: opts.chunkEdges ?? null },
    inputs: [opts.inputDir, opts.modelPath],
    timingsMs,
    results: { backend: engine.engine, backendAttempts: engine.attempts, metrics },
  });
  await engine.release();
  return { events: events.length, backend: engine.engine, metrics };
}
