// `npm run layer-table`: re-derives the built-in detector's layer table (implementation: ../layer-table.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'layer-table',
  summary:
    "Derives the built-in detector's compact layer table from a real detectors.csv[.gz], writes it, and prints per " +
    'volume how closely the detector rebuilt from it matches the file.',
  flags: {
    detectors: {
      type: 'string',
      value: 'PATH',
      required: true,
      description: 'a real detectors.csv[.gz]',
      example: '../shared/trackml-data/detectors.csv.gz',
    },
    output: {
      type: 'string',
      value: 'FILE',
      default: 'trackml-data/layer-table.json',
      description: 'where the table goes',
      example: '/tmp/layer-table.json',
    },
  },
  examples: ['npm run layer-table -- --detectors ../shared/trackml-data/detectors.csv.gz --output trackml-data/layer-table.json'],
  run: async (args) => (await import('../layer-table.ts')).layerTableCommand(args),
});
