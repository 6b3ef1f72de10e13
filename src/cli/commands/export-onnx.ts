// `npm run export-onnx`: a saved model as an ONNX file (implementation: ../export-onnx.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'export-onnx',
  summary:
    "A saved Interaction Network as a standard ONNX file (opset 17), for onnxruntime in Python or C++ and ACTS's " +
    "ONNX edge classifier; the pipeline's ort-cpu engine runs the same file.",
  flags: {
    model: {
      type: 'string',
      value: 'DIR',
      description: 'model folder (model.json + weights.bin)',
      defaultText: 'trackml-data/model',
      example: 'runs/train/best',
    },
    output: {
      type: 'string',
      value: 'FILE',
      description: 'where the ONNX file goes',
      defaultText: 'model.onnx in the model folder',
      example: '/tmp/model.onnx',
    },
  },
  examples: ['npm run export-onnx', 'npm run export-onnx -- --model runs/train/best --output /tmp/model.onnx'],
  run: async (args) => (await import('../export-onnx.ts')).exportOnnxCommand(args),
});
