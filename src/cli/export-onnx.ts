// `npm run export-onnx [-- --model DIR] [--output FILE]`: the model's ONNX file (default: model.onnx beside its
// model.json), for onnxruntime in Python or C++ and ACTS's ONNX edge classifier.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { exportOnnxFile } from '../gnn/onnx-export.ts';
import { DEFAULT_MODEL_DIR } from '../pipeline/pipeline-config.ts';
import { runCli } from './run-cli.ts';

const USAGE = 'usage: export-onnx [--model DIR (default trackml-data/model)] [--output FILE (default DIR/model.onnx)]';

runCli(() => {
  let values;
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { model: { type: 'string' }, output: { type: 'string' } } }));
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message}; ${USAGE}`);
  }
  const modelDir = values.model ?? DEFAULT_MODEL_DIR;
  const output = values.output ?? path.join(modelDir, 'model.onnx');
  const { bytes, weightsSha256 } = exportOnnxFile(modelDir, output);
  process.stdout.write(`${output}: ${bytes.length} bytes, ONNX opset 17, weights sha256 ${weightsSha256.slice(0, 16)}…\n`);
});
