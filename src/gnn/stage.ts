// The GNN stages as run from the command line: read graph directories, train with checkpoints and resume, and
// write per-event edge scores (src/gnn/infer-stage.ts). All I/O of the GNN lives here; model, train and infer do none.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { contentHash } from '../core/hash.ts';
import { InputError } from '../core/errors.ts';
import type { Graph } from '../graph/graph.ts';
import { readGraphs } from '../graph/stage.ts';
import { loadConfig } from '../core/config.ts';
import { checkOutputDir, writeFileAtomic } from '../core/fs.ts';
import { openRunDir } from '../core/lock.ts';
import { Progress } from '../core/progress.ts';
import { codeVersion, writeProvenance } from '../core/provenance.ts';
import { CHECKPOINT, HISTORY_JSON, readProvenance } from '../core/run-files.ts';
import type { BackendChoice } from './backend.ts';
import { loadModel, loadTrainState, saveModel, saveTrainState } from './checkpoint.ts';
import { trainConfigSchema, type TrainConfig } from './config.ts';
import { classifyEdges } from './infer.ts';
import { activateBackend } from './infer-stage.ts';
import { chooseFilterThreshold, chooseThreshold, TARGET_PT_GEV, type ScoreMetrics } from './metrics.ts';
import { filterGraph, type FilterConfig } from './filter.ts';
import { paramCount, type InteractionNetwork } from './model.ts';
import { initialState, trainModel, type TrainState } from './train.ts';

export { readGraph, readGraphs } from '../graph/stage.ts';
export { activateBackend, runInferStage, scoreFileName, type InferRecord, type InferStageOptions } from './infer-stage.ts';

/** A loaded edge filter and the threshold it cuts at. */
export interface LoadedFilter {
  model: InteractionNetwork;
  threshold: number;
  dir: string;
}

export function loadFilter(config: FilterConfig, source?: string): LoadedFilter {
  if (!existsSync(path.join(config.model, 'model.json')))
    throw new InputError(source, undefined, `filter.model: no model.json in ${config.model}`);
  const { model, file } = loadModel(config.model);
  const threshold = config.threshold ?? (typeof file.meta.threshold === 'number' ? file.meta.threshold : undefined);
  if (threshold === undefined)
    throw new InputError(source, undefined, `filter.threshold: required (${config.model} has no calibrated threshold)`);
  return { model, threshold, dir: config.model };
}

/** Identifies a filter's weights wherever its directory is copied to (model.json changes when it is calibrated). */
export function filterWeightsHash(dir: string): string {
  return contentHash([path.join(dir, 'weights.bin')]);
}

/** Graphs cut to the edges `filter` keeps (unchanged without a filter). */
export async function filterGraphs(graphs: Graph[], filter: LoadedFilter | undefined, chunkEdges?: number): Promise<Graph[]> {
  if (!filter) return graphs;
  const out: Graph[] = [];
  for (const g of graphs) out.push((await filterGraph(g, filter.model, filter.threshold, chunkEdges)).graph);
  return out;
}

function graphSummary(dir: string, graphs: readonly Graph[]): Record<string, unknown> {
  const p = readProvenance(dir, 'graphs');
  const graphStage = p ? { config: p.config, codeVersion: p.codeVersion, inputs: p.inputs } : undefined;
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
  const lastDir = path.join(config.outputDir, CHECKPOINT.last);
  const bestDir = path.join(config.outputDir, CHECKPOINT.best);
  // Output paths before any work: a file in their way is one line now, not after an epoch.
  for (const dir of [config.outputDir, lastDir, bestDir]) checkOutputDir(dir);
  // Inputs before the output folder is created: bad graphs leave nothing behind.
  const why = 'training needs simulated or truth-labelled events';
  const unfilteredTrain = readGraphs(config.trainDir, config.trainLimit, why);
  const unfilteredVal = readGraphs(config.valDir, config.valLimit, why);
  const release = openRunDir(config.outputDir); // also puts back a checkpoint an interrupted swap moved aside
  try {
    const report = await activateBackend(opts.backend ?? config.backend);
    // Behind an edge filter: train and validate on what it keeps, as the pipeline runs the model.
    const filter = config.filter ? loadFilter(config.filter, opts.configFile) : undefined;
    const train = await filterGraphs(unfilteredTrain, filter, config.inferenceChunkEdges);
    const val = await filterGraphs(unfilteredVal, filter, config.inferenceChunkEdges);
    const resume = startState(opts, config, train, lastDir);
    const data = {
      train: graphSummary(config.trainDir, train),
      validation: graphSummary(config.valDir, val),
      ...(filter ? { filter: { model: filter.dir, threshold: filter.threshold, weightsHash: filterWeightsHash(filter.dir) } } : {}),
    };
    const parameters = paramCount(config.model);
    process.stderr.write(
      `model: hidden ${config.model.hidden}, ${config.model.iterations} iterations, ${config.model.mlpLayers}-layer MLPs, ${parameters} parameters\n`,
    );
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
        // `last` is the epoch's commit point, so it goes last: a kill before it resumes from the previous epoch,
        // which redoes this one (same seed, same order) and writes the same best model and history again.
        if (isBest) {
          bestRecord = v;
          await saveModel(bestDir, s.model, meta(s, { validation: v }));
        }
        writeFileAtomic(path.join(config.outputDir, HISTORY_JSON), JSON.stringify(s.history, null, 2) + '\n');
        await saveTrainState(lastDir, s, meta(s, { validation: v }));
        nextEpoch = record.epoch + 1;
      },
    });
    const calibrated = existsSync(path.join(bestDir, CHECKPOINT.model))
      ? await calibrateThreshold(bestDir, val, config.inferenceChunkEdges, targetPt(config), config.filterEfficiency)
      : undefined;
    if (calibrated)
      process.stderr.write(
        `threshold ${calibrated.threshold}: validation eff(pT>1) ${calibrated.efficiencyPt1.toFixed(4)}, purity ${calibrated.purity.toFixed(4)}, purity(pT>1) ${calibrated.purityPt1.toFixed(4)}\n`,
      );
    writeProvenance(config.outputDir, {
      stage: 'train',
      config,
      inputs: [config.trainDir, config.valDir, ...(opts.configFile ? [opts.configFile] : [])],
      timingsMs: { total: performance.now() - t0 },
      results: { backend: report.backend, backendAttempts: report.attempts, parameters, epochs: state.epoch, best: bestRecord, calibrated },
    });
    return { outputDir: config.outputDir, backend: report.backend, epochs: state.epoch, best: bestRecord, parameters };
  } finally {
    release();
  }
}

/** Where training starts: the checkpoint in `lastDir` (--resume; from scratch while there is none yet), the model
 * of initFrom (fine-tuning), or fresh weights (undefined). */
function startState(opts: TrainStageOptions, config: TrainConfig, train: readonly Graph[], lastDir: string): TrainState | undefined {
  if (opts.resume && existsSync(lastDir)) {
    const resume = loadTrainState(lastDir);
    if (JSON.stringify(resume.model.config) !== JSON.stringify(config.model))
      throw new InputError(opts.configFile, undefined, `model config differs from the checkpoint in ${lastDir}; cannot resume`);
    process.stderr.write(`resuming from ${lastDir} after epoch ${resume.epoch}\n`);
    return resume;
  }
  if (opts.resume) process.stderr.write(`no checkpoint in ${lastDir} yet: training from the start\n`);
  if (!config.initFrom) return undefined;
  const start = loadModel(config.initFrom);
  const shape = (c: typeof config.model): string =>
    JSON.stringify([c.hidden, c.iterations, c.mlpLayers, c.derivedFeatures, c.tripletFeatures]);
  if (shape(start.model.config) !== shape(config.model))
    throw new InputError(
      opts.configFile,
      undefined,
      `model shape (hidden, iterations, mlpLayers, edge inputs) differs from the one of initFrom (${config.initFrom}); cannot fine-tune it`,
    );
  // Same weights, this config's remaining settings (e.g. tripletPtGeV of a curriculum step).
  start.model.config = config.model;
  process.stderr.write(`fine-tuning ${config.initFrom}\n`);
  return initialState(config, train, start.model);
}

/** `npm run train -- --config … --calibrate`: picks the threshold of <outputDir>/best again on the config's
 * validation graphs (e.g. after adding validation events), without training. */
export async function runCalibrateStage(
  opts: Pick<TrainStageOptions, 'configFile' | 'backend'> & {
    /** Graphs to calibrate on instead of the config's valDir. */ valDir?: string;
  },
): Promise<{ modelDir: string; events: number } & ReturnType<typeof chooseThreshold>> {
  const config: TrainConfig = loadConfig(trainConfigSchema, opts.configFile);
  const modelDir = path.join(config.outputDir, CHECKPOINT.best);
  if (!existsSync(config.outputDir)) throw new InputError(modelDir, undefined, 'no trained model here to calibrate; train first');
  const release = openRunDir(config.outputDir);
  try {
    if (!existsSync(path.join(modelDir, CHECKPOINT.model)))
      throw new InputError(modelDir, undefined, 'no trained model here to calibrate; train first');
    await activateBackend(opts.backend ?? config.backend);
    const filter = config.filter ? loadFilter(config.filter, opts.configFile) : undefined;
    const val = await filterGraphs(
      readGraphs(opts.valDir ?? config.valDir, opts.valDir ? undefined : config.valLimit, 'calibration needs them'),
      filter,
      config.inferenceChunkEdges,
    );
    const chosen = await calibrateThreshold(modelDir, val, config.inferenceChunkEdges, targetPt(config), config.filterEfficiency);
    return { modelDir, events: val.length, ...chosen };
  } finally {
    release();
  }
}

/** The pT the threshold is balanced at: the training target's when it has one, else 1 GeV. */
function targetPt(config: TrainConfig): number {
  return config.targetMinPtGeV > 0 ? config.targetMinPtGeV : TARGET_PT_GEV;
}

/** Picks the working threshold of the model in `modelDir` on validation graphs (chooseThreshold; for an edge filter,
 * with `filterEfficiency`, chooseFilterThreshold) and records it in its model.json (meta.threshold), which
 * stage:infer then uses by default. */
export async function calibrateThreshold(
  modelDir: string,
  val: readonly Graph[],
  chunkEdges?: number,
  targetPtGeV = TARGET_PT_GEV,
  filterEfficiency?: number,
): Promise<ReturnType<typeof chooseThreshold>> {
  const { model, file } = loadModel(modelDir);
  const scores: Float32Array[] = [];
  for (const g of val) scores.push(await classifyEdges(g, model, { chunkEdges }));
  const chosen =
    filterEfficiency === undefined
      ? chooseThreshold(val, scores, targetPtGeV)
      : chooseFilterThreshold(val, scores, targetPtGeV, filterEfficiency);
  const at = { ...chosen, ...(targetPtGeV !== TARGET_PT_GEV ? { targetPtGeV } : {}), graphs: val.map((g) => g.eventId) };
  await saveModel(modelDir, model, { ...file.meta, threshold: chosen.threshold, validationAtThreshold: at });
  return chosen;
}
