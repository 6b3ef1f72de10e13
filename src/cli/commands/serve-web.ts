// `npm run serve-web`: serves a built web page on 127.0.0.1 to try it (implementation: ../build-web.ts).
import { defineCommand } from '../command.ts';

export default defineCommand({
  name: 'serve-web',
  summary:
    'Serves the folder `npm run build:web` wrote as plain static files (GET only, as any static host would) on ' +
    '127.0.0.1 and prints its URL; Ctrl-C stops it.',
  flags: {
    input: { type: 'string', value: 'DIR', default: 'dist/web', description: 'the built page', example: 'public' },
    port: {
      type: 'integer',
      value: 'P',
      min: 0,
      max: 65535,
      default: 8090,
      description: 'port on 127.0.0.1 (0: any free port)',
      example: '0',
    },
  },
  examples: ['npm run serve-web', 'npm run serve-web -- --input public --port 0'],
  run: async (args) => (await import('../build-web.ts')).serveWebCommand(args),
});
