// `npm run export-onnx [-- --model DIR] [--output FILE]` (flags: commands/export-onnx.ts): the model's ONNX file
// (default: model.onnx beside its model.json), for onnxruntime in Python or C++ and ACTS's ONNX edge classifier.
import path from 'node:path';
import { exportOnnxFile } from '../gnn/onnx-export.ts';
import { DEFAULT_MODEL_DIR } from '../pipeline/pipeline-config.ts';

export function exportOnnxCommand(flags: { model?: string; output?: string }): void {
  const modelDir = flags.model ?? DEFAULT_MODEL_DIR;
  const output = flags.output ?? path.join(modelDir, 'model.onnx');
  const { bytes, weightsSha256 } = exportOnnxFile(modelDir, output);
  process.stdout.write(`${output}: ${bytes.length} bytes, ONNX opset 17, weights sha256 ${weightsSha256.slice(0, 16)}…\n`);
}
