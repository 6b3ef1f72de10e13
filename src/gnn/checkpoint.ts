// Model files: `model.json` (format, model config, parameter layout, metadata: metrics, code version, data
// provenance) + `weights.bin` (float32 little-endian, parameters in save order). Training checkpoints add
// `optimizer.bin` (Adam moments) and `train-state.json`. Every file is written atomically; model.json last.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../core/errors.ts';
import { parseConfig } from '../core/config.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { modelConfigSchema } from './config.ts';
import { createModel, modelVariables, type InteractionNetwork } from './model.ts';
import { Adam, type EpochRecord, type TrainState } from './train.ts';

import { MODEL_FORMAT } from './model-weights.ts';

export { MODEL_FORMAT } from './model-weights.ts';

export interface ModelFile {
  format: string;
  model: InteractionNetwork['config'];
  parameters: { name: string; shape: number[] }[];
  parameterCount: number;
  /** Free-form: training config, metrics, codeVersion, data provenance, backend. */
  meta: Record<string, unknown>;
}

async function packVariables(vars: tf.Tensor[]): Promise<Uint8Array> {
  const total = vars.reduce((n, v) => n + v.size, 0);
  const out = new Float32Array(total);
  let off = 0;
  for (const v of vars) {
    out.set((await v.data()) as Float32Array, off);
    off += v.size;
  }
  return new Uint8Array(out.buffer);
}

function unpackInto(vars: tf.Variable[], bytes: Uint8Array, file: string): void {
  const total = vars.reduce((n, v) => n + v.size, 0);
  if (bytes.byteLength !== total * 4) throw new InputError(file, undefined, `has ${bytes.byteLength} bytes, the model needs ${total * 4}`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let off = 0;
  for (const v of vars) {
    v.assign(tf.tensor(all.subarray(off, off + v.size), v.shape));
    off += v.size;
  }
}

/** Writes model.json + weights.bin into `dir`. */
/** The graph stage config a model was trained on, as its training recorded it in meta (undefined when absent). */
export function trainedGraphConfig(meta: Record<string, unknown> | undefined): unknown {
  return (meta?.data as { train?: { graphStage?: { config?: unknown } } } | undefined)?.train?.graphStage?.config;
}

export async function saveModel(dir: string, model: InteractionNetwork, meta: Record<string, unknown>): Promise<void> {
  const vars = modelVariables(model);
  writeFileAtomic(path.join(dir, 'weights.bin'), await packVariables(vars));
  const file: ModelFile = {
    format: MODEL_FORMAT,
    model: model.config,
    parameters: vars.map((v) => ({ name: v.name, shape: v.shape })),
    parameterCount: vars.reduce((n, v) => n + v.size, 0),
    meta,
  };
  writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(file, null, 2) + '\n');
}

/** Reads a model from a directory holding model.json + weights.bin (or the path of model.json itself). */
export function loadModel(dirOrFile: string): { model: InteractionNetwork; file: ModelFile } {
  const jsonPath = dirOrFile.endsWith('.json') ? dirOrFile : path.join(dirOrFile, 'model.json');
  if (!existsSync(jsonPath)) throw new InputError(jsonPath, undefined, 'model file not found');
  let file: ModelFile;
  try {
    file = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelFile;
  } catch (err) {
    throw new InputError(jsonPath, undefined, `not JSON: ${(err as Error).message}`);
  }
  if (file.format !== MODEL_FORMAT) throw new InputError(jsonPath, undefined, `format ${String(file.format)}, expected ${MODEL_FORMAT}`);
  const config = parseConfig(modelConfigSchema, file.model, `${jsonPath} (model)`);
  const model = createModel(config, 0);
  const vars = modelVariables(model);
  const names = vars.map((v) => `${v.name}:${v.shape.join('x')}`).join(',');
  const stored = file.parameters.map((p) => `${p.name}:${p.shape.join('x')}`).join(',');
  // Variable names carry a tfjs-global suffix when a name repeats; compare shapes in order instead.
  if (vars.map((v) => v.shape.join('x')).join(',') !== file.parameters.map((p) => p.shape.join('x')).join(','))
    throw new InputError(jsonPath, undefined, `parameter layout ${stored} does not match the model config (${names})`);
  const weightsPath = path.join(path.dirname(jsonPath), 'weights.bin');
  if (!existsSync(weightsPath)) throw new InputError(weightsPath, undefined, 'weights file not found');
  unpackInto(vars, readFileSync(weightsPath), weightsPath);
  return { model, file };
}

interface TrainStateFile {
  epoch: number;
  adamStep: number;
  bestValLoss: number | null;
  epochsSinceBest: number;
  positiveWeight: number;
  history: EpochRecord[];
}

/** A resumable checkpoint: the model files plus optimizer.bin and train-state.json. */
export async function saveTrainState(dir: string, state: TrainState, meta: Record<string, unknown>): Promise<void> {
  writeFileAtomic(path.join(dir, 'optimizer.bin'), await packVariables([...state.adam.m, ...state.adam.v]));
  const s: TrainStateFile = {
    epoch: state.epoch,
    adamStep: state.adam.step,
    bestValLoss: Number.isFinite(state.bestValLoss) ? state.bestValLoss : null,
    epochsSinceBest: state.epochsSinceBest,
    positiveWeight: state.positiveWeight,
    history: state.history,
  };
  writeFileAtomic(path.join(dir, 'train-state.json'), JSON.stringify(s, null, 2) + '\n');
  await saveModel(dir, state.model, meta);
}

export function loadTrainState(dir: string): TrainState {
  const { model } = loadModel(dir);
  const statePath = path.join(dir, 'train-state.json');
  if (!existsSync(statePath)) throw new InputError(statePath, undefined, 'not a resumable checkpoint (train-state.json missing)');
  const s = JSON.parse(readFileSync(statePath, 'utf8')) as TrainStateFile;
  const adam = new Adam(modelVariables(model));
  unpackInto([...adam.m, ...adam.v], readFileSync(path.join(dir, 'optimizer.bin')), path.join(dir, 'optimizer.bin'));
  adam.step = s.adamStep;
  return {
    model,
    adam,
    epoch: s.epoch,
    bestValLoss: s.bestValLoss ?? Infinity,
    epochsSinceBest: s.epochsSinceBest,
    history: s.history,
    positiveWeight: s.positiveWeight,
  };
}

/** One epoch of a model's training history, as the report draws it. */
export interface HistoryPoint {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  auc: number;
  efficiency: number;
  purity: number;
  efficiencyPt1: number;
  threshold: number;
}

/** The training history behind a saved model: `meta.history` of its model.json (written by training since it was
 * kept there), else `train-state.json` beside it (a `last/` checkpoint), else `history.json` one level up (a run's
 * `best/`). Undefined when none is found (e.g. models trained before histories were kept with them). */
export function readTrainingHistory(modelDir: string): { points: HistoryPoint[]; source: string } | undefined {
  const tryRead = (file: string, pick: (j: unknown) => unknown): EpochRecord[] | undefined => {
    if (!existsSync(file)) return undefined;
    try {
      const h = pick(JSON.parse(readFileSync(file, 'utf8')));
      return Array.isArray(h) && h.length > 0 ? (h as EpochRecord[]) : undefined;
    } catch {
      return undefined;
    }
  };
  const candidates: [string, (j: unknown) => unknown][] = [
    [path.join(modelDir, 'model.json'), (j) => (j as ModelFile).meta?.history],
    [path.join(modelDir, 'train-state.json'), (j) => (j as TrainStateFile).history],
    [path.join(modelDir, '..', 'history.json'), (j) => j],
  ];
  for (const [file, pick] of candidates) {
    const h = tryRead(file, pick);
    if (!h) continue;
    const points = h.map((r) => ({
      epoch: r.epoch, trainLoss: r.trainLoss, valLoss: r.valLoss, auc: r.val?.auc, efficiency: r.val?.efficiency,
      purity: r.val?.purity, efficiencyPt1: r.val?.efficiencyPt1, threshold: r.val?.threshold,
    }));
    if (points.every((p) => Number.isFinite(p.epoch) && Number.isFinite(p.trainLoss))) return { points, source: file };
  }
  return undefined;
}
