// `npm run stage:infer`: one `<event>-edge-scores.arrow` per graph, each committed by a per-event record whose key
// covers the graph files' contents, the model's weights, the backend and every setting, so a rerun skips only
// events whose scores would come out the same; metrics in the records and in provenance when graphs have truth.
import path from 'node:path';
import { cacheKey, digestInputs, inputHashes, RECORD_FORMAT, trustedRecord, writeRecord, type RecordBase } from '../core/cache.ts';
import { checkOutputDir, writeFileAtomic } from '../core/fs.ts';
import { openRunDir } from '../core/lock.ts';
import { inShard, shardTag, type Shard } from '../core/shard.ts';
import { Progress } from '../core/progress.ts';
import { codeHash, writeProvenance } from '../core/provenance.ts';
import { CHECKPOINT, edgeScoresFileName, graphFileNames } from '../core/run-files.ts';
import { edgeScoresToArrow } from '../graph/arrow-io.ts';
import { graphEventIdsIn, readGraph } from '../graph/stage.ts';
import { InputError } from '../core/errors.ts';
import { describeBackend, selectBackend, type BackendChoice, type BackendReport } from './backend.ts';
import type { EngineChoice } from './backend-names.ts';
import { describeEngine, openEngine, type EdgeEngine } from './engine.ts';
import { scoreMetrics, type ScoreMetrics } from './metrics.ts';

export interface InferStageOptions {
  inputDir: string;
  outputDir: string;
  modelPath: string;
  backend?: EngineChoice;
  limit?: number;
  /** Only this shard's events (`--shard I/N`, src/core/shard.ts). */
  shard?: Shard;
  chunkEdges?: number;
  /** Threshold for the metrics reported when graphs have truth (default: the model's training threshold or 0.5). */
  threshold?: number;
}

/** `<event>-infer-record.json`: the score file it vouches for and, with truth, the metrics at the threshold. */
export interface InferRecord extends RecordBase {
  edges: number;
  threshold: number;
  metrics?: ScoreMetrics;
  timingsMs: { infer: number };
}

/** Selects the backend (a failure is the user's: a forced backend that cannot load) and prints the choice. */
export async function activateBackend(choice: BackendChoice): Promise<BackendReport> {
  let report: BackendReport;
  try {
    report = await selectBackend(choice);
  } catch (err) {
    throw new InputError(undefined, undefined, (err as Error).message);
  }
  process.stderr.write(describeBackend(report) + '\n');
  return report;
}

/** The model on the engine `choice` resolves to (engine.ts); a forced engine that cannot run is the user's error. */
async function openEngineOrInputError(modelPath: string, choice: EngineChoice): Promise<EdgeEngine> {
  try {
    return await openEngine(modelPath, choice);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(undefined, undefined, (err as Error).message);
  }
}

/** `<event>-edge-scores.arrow` (name and format: src/core/run-files.ts). */
export const scoreFileName = edgeScoresFileName;

/** One `<event>-edge-scores.arrow` per graph (columns src, dst as node rows of the graph, src_hit_id, dst_hit_id,
 * score), plus provenance with metrics when the graphs carry truth. */
export async function runInferStage(
  opts: InferStageOptions,
): Promise<{ events: number; computed: number; backend: string; metrics: Record<string, ScoreMetrics> }> {
  checkOutputDir(opts.outputDir);
  // ort-cpu or a tfjs backend (engine.ts); tfjs chunks its edges (chunkEdges), ONNX Runtime runs the whole graph.
  const engine = await openEngineOrInputError(opts.modelPath, opts.backend ?? 'auto');
  process.stderr.write(describeEngine(engine) + '\n');
  const meta = engine.meta;
  const modelDir = opts.modelPath.endsWith('.json') ? path.dirname(opts.modelPath) : opts.modelPath;
  const modelInputs = digestInputs({ model: path.join(modelDir, CHECKPOINT.model), weights: path.join(modelDir, CHECKPOINT.weights) });
  const trainThreshold = (meta.trainConfig as { threshold?: number } | undefined)?.threshold;
  // A threshold chosen after training (meta.threshold) wins over the one training reported at.
  const chosen = typeof meta.threshold === 'number' ? meta.threshold : undefined;
  const threshold = opts.threshold ?? chosen ?? trainThreshold ?? 0.5;
  const ids = graphEventIdsIn(opts.inputDir);
  const events = inShard(
    (opts.limit === undefined ? ids : ids.slice(0, opts.limit)).map((eventId) => ({ eventId })),
    opts.shard,
  ).map((e) => e.eventId);
  if (events.length === 0) return { events: 0, computed: 0, backend: opts.backend ?? 'auto', metrics: {} };
  const release = openRunDir(opts.outputDir, opts.shard);
  try {
    const progress = new Progress('infer', events.length);
    const timingsMs: Record<string, number> = {};
    const metrics: Record<string, ScoreMetrics> = {};
    const base = {
      stage: 'infer',
      format: RECORD_FORMAT,
      code: codeHash('gnn'),
      model: inputHashes(modelInputs),
      backend: engine.engine,
      threshold,
      chunkEdges: opts.chunkEdges ?? null,
    };
    let computed = 0;
    for (const id of events) {
      const names = graphFileNames(id);
      const inputs = digestInputs({ nodes: path.join(opts.inputDir, names.nodes), edges: path.join(opts.inputDir, names.edges) });
      const key = cacheKey({ ...base, inputs: inputHashes(inputs) });
      let record = trustedRecord<InferRecord>(opts.outputDir, 'infer', id, key);
      const cached = record !== undefined;
      if (!record) {
        const g = readGraph(opts.inputDir, id);
        const t0 = performance.now();
        const scores = await engine.classify(g, opts.chunkEdges);
        const ms = performance.now() - t0;
        const name = scoreFileName(id);
        const outputs = { [name]: writeFileAtomic(path.join(opts.outputDir, name), edgeScoresToArrow(g, scores)) };
        record = {
          format: RECORD_FORMAT,
          stage: 'infer',
          eventId: id,
          cacheKey: key,
          inputs: { ...inputs, ...modelInputs },
          outputs,
          edges: g.src.length,
          threshold,
          metrics: g.y ? scoreMetrics(g, scores, threshold) : undefined,
          timingsMs: { infer: ms },
        };
        writeRecord(opts.outputDir, record);
        computed++;
      }
      timingsMs[id] = record.timingsMs.infer;
      let detail = `${id} ${record.edges} edges, ${record.timingsMs.infer.toFixed(0)} ms${cached ? ', up to date' : ''}`;
      const m = record.metrics;
      if (m) {
        metrics[id] = m;
        detail += `, AUC ${m.auc.toFixed(4)}, eff(pT>1) ${m.efficiencyPt1.toFixed(4)}, purity ${m.purity.toFixed(4)}`;
      }
      progress.tick(1, detail);
    }
    writeProvenance(opts.outputDir, {
      stage: opts.shard ? `infer-${shardTag(opts.shard)}` : 'infer',
      config: { model: opts.modelPath, modelConfig: engine.weights.config, threshold, chunkEdges: opts.chunkEdges ?? null },
      inputs: [opts.inputDir, opts.modelPath],
      timingsMs,
      results: { backend: engine.engine, backendAttempts: engine.attempts, computed, modelSha256: inputHashes(modelInputs), metrics },
    });
    return { events: events.length, computed, backend: engine.engine, metrics };
  } finally {
    release();
    await engine.release();
  }
}
