// `npm run export -- --to kaggle|phoenix|pyg --input <pipeline output> [--output PATH]` (flags: commands/export.ts):
// the pipeline's results for other tools — Kaggle's combined submission, Phoenix event-data JSON (tracks with
// parameters, truth particles), or acorn-readable PyTorch Geometric files (needs graphs kept with --save-graphs).
import { runExport, type ExportFormat } from '../interop/export.ts';

export function exportCommand(flags: { to: ExportFormat; input: string; output?: string }): void {
  const r = runExport({ to: flags.to, input: flags.input, output: flags.output });
  process.stdout.write(`export ${flags.to}: ${r.events} event(s) → ${r.output}\n`);
}
