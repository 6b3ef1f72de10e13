// `npm run build:web`: the whole pipeline as a static web page (implementation: ../build-web.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'build:web',
  summary:
    'Builds the pipeline as a static web page into --output: a folder any static host serves (no server process). ' +
    'Its Web Worker runs the same graph, GNN, track building and score as `npm run pipeline` on files a visitor ' +
    'drops; nothing is uploaded. Try it with `npm run serve-web`.',
  flags: {
    output: { type: 'string', value: 'DIR', default: 'dist/web', description: 'output folder (emptied first)', example: 'public' },
    config: {
      type: 'string',
      value: 'FILE',
      description: 'pipeline config whose model, module map and thresholds the page runs',
      defaultText: 'the defaults of `npm run pipeline`',
      example: 'pipelines/pipeline-default.yaml',
    },
  },
  examples: ['npm run build:web', 'npm run build:web -- --output public --config pipelines/pipeline-default.yaml'],
  run: async (args) => (await import('../build-web.ts')).buildWebCommand(args),
});
