// `npm run simulate`: TrackML-format events from the simulator (implementation: ../simulate.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'simulate',
  summary:
    'TrackML-format events (hits, cells, particles, truth) from the simulator on the built-in detector (or a real ' +
    'detectors.csv), numbered K … K+N−1; event k depends only on (seed, k), so runs can be split and stay identical. ' +
    'Progress on stderr.',
  flags: {
    output: {
      type: 'string',
      value: 'DIR',
      required: true,
      description: "folder for the events' files",
      example: 'trackml-data/generated/sim',
    },
    events: { type: 'integer', value: 'N', min: 1, max: 1_000_000, required: true, description: 'how many events', example: '5' },
    seed: { type: 'integer', value: 'S', min: 0, max: 2 ** 32 - 1, required: true, description: 'random seed', example: '1' },
    pileup: {
      type: 'number',
      value: 'MU',
      min: 0,
      max: 4000,
      description: 'mean number of pile-up interactions per event',
      defaultText: '200 (src/simulate/config.ts)',
      example: '50',
    },
    detectors: {
      type: 'string',
      value: 'PATH',
      description: 'a real detectors.csv[.gz] to simulate on',
      defaultText: 'the built-in detector (trackml-data/layer-table.json)',
      example: '../shared/trackml-data/detectors.csv.gz',
    },
    'first-event': {
      type: 'integer',
      value: 'K',
      min: 0,
      max: 999_999_999,
      default: 0,
      description: 'number of the first event',
      example: '1000',
    },
    format: { type: 'string', value: 'FMT', choices: ['csv', 'csv.gz'], default: 'csv.gz', description: 'file format', example: 'csv' },
  },
  examples: [
    'npm run simulate -- --output trackml-data/generated/sim --events 5 --seed 1',
    'npm run simulate -- --output /tmp/low-mu --events 2 --seed 7 --pileup 20 --first-event 100 --format csv',
  ],
  run: async (args) => (await import('../simulate.ts')).simulateCommand(args),
});
