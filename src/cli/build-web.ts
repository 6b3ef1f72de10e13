// `npm run build:web [-- --output DIR] [--config pipelines/pipeline-X.yaml]`: the whole pipeline as a static web
// page (web/build.ts): a folder any static host serves; prints what it wrote and how to try it.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { buildWeb } from '../../web/build.ts';
import { runCli } from './run-cli.ts';

const USAGE = 'usage: npm run build:web [-- --output DIR] [--config pipelines/pipeline-X.yaml]';

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: { output: { type: 'string' }, config: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message}; ${USAGE}`);
  }
  const r = await buildWeb({ outputDir: values.output ?? path.join('dist', 'web'), configFile: values.config });
  const rel = path.relative(process.cwd(), r.outputDir) || '.';
  const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
  process.stdout.write(r.files.map((f) => `  ${f.path.padEnd(40)} ${kb(f.bytes).padStart(8)}`).join('\n') + '\n');
  const total = r.files.reduce((s, f) => s + f.bytes, 0);
  process.stdout.write(`${rel}/: ${r.files.length} files, ${kb(total)}; model ${r.manifest.modelLabel}, config ${r.manifest.configSource}\n`);
  process.stdout.write(`try it: npx http-server ${rel}   (or any static file server; open the page and drop an event's files)\n`);
});
