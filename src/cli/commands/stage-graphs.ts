// `npm run stage:graphs`: events → graph files, or learn a module map (implementation: ../graphs.ts).
import { defineCommand } from '../command.ts';
import { SHARD_FLAG } from '../shard-flag.ts';

export default defineCommand({
  name: 'stage:graphs',
  summary:
    'Graphs as a stage: each event in --input becomes <event>-nodes.arrow and <event>-edges.arrow (Arrow IPC) in ' +
    '--output, built as the config says (geometric cuts or a module map). With the word module-map it learns a ' +
    'module map instead, from the events in --input or from --simulate N events made in memory, into the file --output.',
  positional: { name: 'module-map', description: 'learn a module map instead of building graphs', choices: ['module-map'] },
  flags: {
    input: {
      type: 'string',
      value: 'DIR',
      description: 'folder of TrackML events',
      defaultText: 'none; required unless module-map --simulate',
      example: 'trackml-data/generated/sim',
    },
    output: {
      type: 'string',
      value: 'PATH',
      required: true,
      description: 'graphs folder (module-map: the .arrow map file)',
      example: 'trackml-data/generated/graphs',
    },
    config: {
      type: 'string',
      value: 'FILE',
      description: 'graph config (keys: src/graph/config.ts)',
      defaultText: 'built-in defaults (geometric, pixel, pT > 1 GeV)',
      example: 'pipelines/graphs-pixel-pt1.yaml',
    },
    limit: { type: 'integer', value: 'N', min: 1, description: 'only the first N events', defaultText: 'all events', example: '3' },
    simulate: {
      type: 'integer',
      value: 'N',
      min: 1,
      description: 'module-map only: learn from N events simulated in memory',
      defaultText: 'none',
      example: '1000',
    },
    seed: { type: 'integer', value: 'S', min: 0, description: 'module-map --simulate only: random seed', defaultText: '1', example: '1' },
    shard: SHARD_FLAG,
  },
  examples: [
    'npm run stage:graphs -- --input trackml-data/generated/sim --output trackml-data/generated/graphs --config pipelines/graphs-pixel-pt1.yaml',
    'npm run stage:graphs -- module-map --simulate 1000 --seed 1 --output trackml-data/module-map/pixel-pt1.arrow --config pipelines/graphs-modulemap-pixel.yaml',
  ],
  run: async (args, positionals) => (await import('../graphs.ts')).graphsCommand(args, positionals),
});
