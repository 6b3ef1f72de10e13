// The model files' format: `model.json` (format, model config, parameter layout, metadata) + `weights.bin`
// (float32 little-endian, parameters in save order), and a model made from their contents. Pure: checkpoint.ts
// reads and writes them on disk; the web page's worker fetches the copies its static build holds.
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../core/errors.ts';
import { parseConfig } from '../core/parse-config.ts';
import { modelConfigSchema } from './config.ts';
import { createModel, modelVariables, type InteractionNetwork } from './model.ts';

import { MODEL_FORMAT } from './model-format.ts';

export { MODEL_FORMAT, trainedGraphConfig } from './model-format.ts';

export interface ModelFile {
  format: string;
  model: InteractionNetwork['config'];
  parameters: { name: string; shape: number[] }[];
  parameterCount: number;
  /** Free-form: training config, metrics, codeVersion, data provenance, backend. */
  meta: Record<string, unknown>;
}

export function unpackInto(vars: tf.Variable[], bytes: Uint8Array, file: string): void {
  const total = vars.reduce((n, v) => n + v.size, 0);
  if (bytes.byteLength !== total * 4) throw new InputError(file, undefined, `has ${bytes.byteLength} bytes, the model needs ${total * 4}`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let off = 0;
  for (const v of vars) {
    v.assign(tf.tensor(all.subarray(off, off + v.size), v.shape));
    off += v.size;
  }
}

/** A model from model.json's text and the weights.bin it names (`weights(file)` is called once the JSON has been
 * checked, so a bad model.json is reported before a missing weights file). `jsonPath` and `weightsPath` label errors. */
export function modelFromFiles<F extends ModelFile = ModelFile>(
  jsonPath: string,
  jsonText: string,
  weightsPath: string,
  weights: (file: F) => Uint8Array,
): { model: InteractionNetwork; file: F } {
  let file: F;
  try {
    file = JSON.parse(jsonText) as F;
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
  unpackInto(vars, weights(file), weightsPath);
  return { model, file };
}
