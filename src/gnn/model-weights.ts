// A saved Interaction Network as plain arrays (model.json + weights.bin, the layout checkpoint.ts writes), read
// without tfjs: the ONNX engine and exporter need only the numbers, and importing tfjs costs ~1 s of start-up.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../core/config.ts';
import { InputError } from '../core/errors.ts';
import { NODE_FEATURES } from '../graph/graph.ts';
import { modelConfigSchema, type ModelConfig } from './config.ts';
import { edgeInputWidth } from './edge-inputs.ts';

import { MLP_NAMES, MODEL_FORMAT, type MlpName } from './model-format.ts';

export { MLP_NAMES, MODEL_FORMAT, type MlpName } from './model-format.ts';

export interface LayerWeights {
  /** Row-major [inputs, outputs]. */
  w: Float32Array;
  b: Float32Array;
  inputs: number;
  outputs: number;
}

export interface ModelWeights {
  config: ModelConfig;
  mlps: Record<MlpName, LayerWeights[]>;
}

/** Layer widths of each MLP: input, hidden…, output. */
export function mlpWidths(config: ModelConfig): Record<MlpName, number[]> {
  const h = config.hidden;
  const widths = (input: number, output: number): number[] => [input, ...Array<number>(config.mlpLayers - 1).fill(h), output];
  return {
    nodeEncoder: widths(NODE_FEATURES, h),
    edgeEncoder: widths(edgeInputWidth(config), h),
    edgeUpdate: widths(3 * h, h),
    nodeUpdate: widths(3 * h, h),
    classifier: widths(3 * h, 1),
  };
}

/** Cuts a flat parameter vector (save order) into layers; throws InputError naming `file` when sizes differ. */
export function unflattenWeights(config: ModelConfig, all: Float32Array, file: string): ModelWeights {
  const widths = mlpWidths(config);
  const mlps = {} as ModelWeights['mlps'];
  let off = 0;
  const take = (n: number): Float32Array => {
    if (off + n > all.length) throw new InputError(file, undefined, `has ${all.length} parameters, the model config needs more`);
    const out = all.slice(off, off + n);
    off += n;
    return out;
  };
  for (const name of MLP_NAMES) {
    const s = widths[name];
    mlps[name] = [];
    for (let i = 0; i + 1 < s.length; i++)
      mlps[name].push({ w: take(s[i] * s[i + 1]), b: take(s[i + 1]), inputs: s[i], outputs: s[i + 1] });
  }
  if (off !== all.length) throw new InputError(file, undefined, `has ${all.length} parameters, the model config needs ${off}`);
  return { config, mlps };
}

/** Reads model.json + weights.bin from a model directory (or the path of its model.json). */
export function readModelWeights(dirOrFile: string): { weights: ModelWeights; meta: Record<string, unknown>; files: string[] } {
  const jsonPath = dirOrFile.endsWith('.json') ? dirOrFile : path.join(dirOrFile, 'model.json');
  if (!existsSync(jsonPath)) throw new InputError(jsonPath, undefined, 'model file not found');
  let file: { format?: unknown; model?: unknown; meta?: Record<string, unknown> };
  try {
    file = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (err) {
    throw new InputError(jsonPath, undefined, `not JSON: ${(err as Error).message}`);
  }
  if (file.format !== MODEL_FORMAT) throw new InputError(jsonPath, undefined, `format ${String(file.format)}, expected ${MODEL_FORMAT}`);
  const config = parseConfig(modelConfigSchema, file.model, `${jsonPath} (model)`);
  const weightsPath = path.join(path.dirname(jsonPath), 'weights.bin');
  if (!existsSync(weightsPath)) throw new InputError(weightsPath, undefined, 'weights file not found');
  const bytes = readFileSync(weightsPath);
  if (bytes.byteLength % 4 !== 0)
    throw new InputError(weightsPath, undefined, `${bytes.byteLength} bytes is not a whole number of float32`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { weights: unflattenWeights(config, all, weightsPath), meta: file.meta ?? {}, files: [jsonPath, weightsPath] };
}

/** What weightsOfTfjsModel needs of a tfjs InteractionNetwork (model.ts), structurally: no import of model.ts. */
interface TensorLike {
  shape: number[];
  dataSync(): ArrayLike<number>;
}

/** The weights of a tfjs model (read back from its variables). */
export function weightsOfTfjsModel(model: {
  config: ModelConfig;
  mlps: Record<MlpName, { w: TensorLike; b: TensorLike }[]>;
}): ModelWeights {
  const mlps = {} as ModelWeights['mlps'];
  for (const name of MLP_NAMES) {
    mlps[name] = model.mlps[name].map((l) => ({
      w: Float32Array.from(l.w.dataSync()),
      b: Float32Array.from(l.b.dataSync()),
      inputs: l.w.shape[0],
      outputs: l.w.shape[1],
    }));
  }
  return { config: model.config, mlps };
}
