// `npm run view`: the three.js event viewer on 127.0.0.1 (implementation: ../view.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'view',
  summary:
    'Serves the three.js event viewer for the events in --input (a run folder, a pipeline output or an events folder) ' +
    'on 127.0.0.1 and prints its URL; Ctrl-C stops it. Details: viewer/README.md.',
  flags: {
    input: {
      type: 'string',
      value: 'DIR',
      required: true,
      description: 'folder with events, submissions, graphs and edge scores',
      example: 'runs/default',
    },
    event: {
      type: 'integer',
      value: 'N',
      min: 0,
      max: 999_999_999,
      description: 'event the page opens first',
      defaultText: 'the first found',
      example: '2',
    },
    port: {
      type: 'integer',
      value: 'P',
      min: 0,
      max: 65535,
      default: 8080,
      description: 'port on 127.0.0.1 (0: any free port)',
      example: '0',
    },
    detectors: {
      type: 'string',
      value: 'FILE',
      description: 'real detectors.csv[.gz] for the detector outline',
      defaultText: 'the built-in layer table',
      example: '../shared/trackml-data/detectors.csv.gz',
    },
  },
  examples: ['npm run view -- --input runs/default', 'npm run view -- --input runs/default --event 2 --port 0'],
  run: async (args) => (await import('../view.ts')).viewCommand(args),
});
