// `npm run export`: a pipeline output in other tools' formats (implementation: ../export.ts).
import { defineCommand } from '../command.ts';

/** The formats src/interop/export.ts writes (EXPORT_FORMATS there; test/cli/commands.test.ts keeps them equal). */
export const EXPORT_CHOICES = ['kaggle', 'phoenix', 'pyg'] as const;

export default defineCommand({
  name: 'export',
  summary:
    'A pipeline output (npm run pipeline / npm start, following its recorded input) for other tools: kaggle, one ' +
    'event_id,hit_id,track_id CSV (the score command reads it against a truth folder); phoenix, Phoenix event-data ' +
    "JSON (tracks with perigee parameters, truth particles); pyg, PyTorch Geometric Data files with acorn's field " +
    'names, one per event (needs graphs kept with --save-graphs).',
  flags: {
    to: { type: 'string', value: 'FORMAT', choices: EXPORT_CHOICES, required: true, description: 'what to write', example: 'kaggle' },
    input: { type: 'string', value: 'DIR', required: true, description: 'a pipeline output folder', example: 'runs/default/pipeline' },
    output: {
      type: 'string',
      value: 'PATH',
      description: 'file or folder to write',
      defaultText: '<input>/submission-combined.csv, <input>/phoenix.json or <input>/pyg/',
      example: '/tmp/combined.csv',
    },
  },
  examples: [
    'npm run export -- --to kaggle --input runs/default/pipeline',
    'npm run export -- --to pyg --input runs/default/pipeline --output /tmp/pyg',
  ],
  run: async (args) => (await import('../export.ts')).exportCommand(args),
});
