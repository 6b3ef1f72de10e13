// Model files: `model.json` (format, model config, parameter layout, metadata: metrics, code version, data
// provenance, the weights' SHA-256) + `weights.bin` (float32 little-endian, parameters in save order). Training
// checkpoints add `optimizer.bin` (Adam moments) and `train-state.json` (with every other file's SHA-256). A model
// or checkpoint directory is written as one unit (a new directory swapped in, src/core/fs.ts writeDirAtomic), and
// loading checks the recorded hashes, so weights of one epoch never run with the state of another.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../core/errors.ts';
import { writeDirAtomic } from '../core/fs.ts';
import { digestBytes, type FileDigest } from '../core/hash.ts';
import { CHECKPOINT } from '../core/run-files.ts';
import { modelVariables, type InteractionNetwork } from './model.ts';
import { Adam, type EpochRecord, type TrainState } from './train.ts';
import { MODEL_FORMAT, modelFromFiles, unpackInto, type ModelFile as ModelFileBase } from './model-file.ts';

export { MODEL_FORMAT, trainedGraphConfig } from './model-file.ts';

/** model.json, as checkpoints write it: the format model-file.ts reads, plus the digest of the weights saved. */
export interface ModelFile extends ModelFileBase {
  /** SHA-256 of weights.bin as saved (absent in models saved before it was recorded). */
  weights?: FileDigest;
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

/** model.json and weights.bin of `model`, as bytes. */
async function modelFiles(model: InteractionNetwork, meta: Record<string, unknown>): Promise<Record<string, Uint8Array | string>> {
  const vars = modelVariables(model);
  const weights = await packVariables(vars);
  const file: ModelFile = {
    format: MODEL_FORMAT,
    model: model.config,
    // Without the per-process instance prefix tfjs needs ("in3/…"): the same model saves the same bytes anywhere.
    parameters: vars.map((v) => ({ name: v.name.replace(/^in\d+\//, ''), shape: v.shape })),
    parameterCount: vars.reduce((n, v) => n + v.size, 0),
    meta,
    weights: digestBytes(weights),
  };
  return { [CHECKPOINT.weights]: weights, [CHECKPOINT.model]: JSON.stringify(file, null, 2) + '\n' };
}

/** Writes `dir` as model.json + weights.bin, replacing what was there as one unit. */
export async function saveModel(dir: string, model: InteractionNetwork, meta: Record<string, unknown>): Promise<void> {
  writeDirAtomic(dir, await modelFiles(model, meta));
}

/** Bytes of `file`, checked against a recorded digest (one line when they differ: a file from another save). */
function readChecked(file: string, want: FileDigest | undefined, what: string): Uint8Array {
  if (!existsSync(file)) throw new InputError(file, undefined, `${what} not found`);
  const bytes = readFileSync(file);
  if (want && digestBytes(bytes).sha256 !== want.sha256)
    throw new InputError(
      file,
      undefined,
      `${what} does not match the SHA-256 its directory recorded (a file from another save or a damaged copy); save or copy the directory as a whole`,
    );
  return bytes;
}

/** Reads a model from a directory holding model.json + weights.bin (or the path of model.json itself). */
export function loadModel(dirOrFile: string): { model: InteractionNetwork; file: ModelFile } {
  const jsonPath = dirOrFile.endsWith('.json') ? dirOrFile : path.join(dirOrFile, CHECKPOINT.model);
  if (!existsSync(jsonPath)) throw new InputError(jsonPath, undefined, 'model file not found');
  const weightsPath = path.join(path.dirname(jsonPath), CHECKPOINT.weights);
  return modelFromFiles<ModelFile>(jsonPath, readFileSync(jsonPath, 'utf8'), weightsPath, (file) =>
    readChecked(weightsPath, file.weights, 'weights file'),
  );
}

interface TrainStateFile {
  epoch: number;
  adamStep: number;
  bestValLoss: number | null;
  epochsSinceBest: number;
  positiveWeight: number;
  history: EpochRecord[];
  /** SHA-256 of the checkpoint's other files (model.json, weights.bin, optimizer.bin). */
  files?: Record<string, FileDigest>;
}

/** A resumable checkpoint in `dir`: the model files plus optimizer.bin and train-state.json, as one unit. */
export async function saveTrainState(dir: string, state: TrainState, meta: Record<string, unknown>): Promise<void> {
  const files: Record<string, Uint8Array | string> = await modelFiles(state.model, meta);
  files[CHECKPOINT.optimizer] = await packVariables([...state.adam.m, ...state.adam.v]);
  const s: TrainStateFile = {
    epoch: state.epoch,
    adamStep: state.adam.step,
    bestValLoss: Number.isFinite(state.bestValLoss) ? state.bestValLoss : null,
    epochsSinceBest: state.epochsSinceBest,
    positiveWeight: state.positiveWeight,
    history: state.history,
    files: Object.fromEntries(Object.entries(files).map(([name, data]) => [name, digestBytes(data)])),
  };
  files[CHECKPOINT.state] = JSON.stringify(s, null, 2) + '\n';
  writeDirAtomic(dir, files);
}

export function loadTrainState(dir: string): TrainState {
  const statePath = path.join(dir, CHECKPOINT.state);
  if (!existsSync(statePath)) throw new InputError(statePath, undefined, 'not a resumable checkpoint (train-state.json missing)');
  let s: TrainStateFile;
  try {
    s = JSON.parse(readFileSync(statePath, 'utf8')) as TrainStateFile;
  } catch (err) {
    throw new InputError(statePath, undefined, `not JSON: ${(err as Error).message}`);
  }
  // Every file must be the one this state was saved with (model.json in turn checks weights.bin).
  readChecked(path.join(dir, CHECKPOINT.model), s.files?.[CHECKPOINT.model], 'model file');
  const { model } = loadModel(dir);
  readChecked(path.join(dir, CHECKPOINT.weights), s.files?.[CHECKPOINT.weights], 'weights file');
  const adam = new Adam(modelVariables(model));
  const optimizerPath = path.join(dir, CHECKPOINT.optimizer);
  unpackInto([...adam.m, ...adam.v], readChecked(optimizerPath, s.files?.[CHECKPOINT.optimizer], 'optimizer state'), optimizerPath);
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

// The training history reader lives in history.ts (no tfjs: the pipeline's report reads it); re-exported here.
export { readTrainingHistory, type HistoryPoint } from './history.ts';
