// `npm run build:web` and `npm run serve-web` (flags: commands/build-web.ts, commands/serve-web.ts): build the
// pipeline as a static web page (web/build.ts), and serve a built one on 127.0.0.1 to try it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { buildWeb } from '../../web/build.ts';
import { serveStatic } from '../../web/static-server.ts';

export async function buildWebCommand(flags: { output: string; config?: string }): Promise<void> {
  const r = await buildWeb({ outputDir: flags.output, configFile: flags.config });
  const rel = path.relative(process.cwd(), r.outputDir) || '.';
  const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
  process.stdout.write(r.files.map((f) => `  ${f.path.padEnd(40)} ${kb(f.bytes).padStart(8)}`).join('\n') + '\n');
  const total = r.files.reduce((s, f) => s + f.bytes, 0);
  process.stdout.write(
    `${rel}/: ${r.files.length} files, ${kb(total)}; model ${r.manifest.modelLabel}, config ${r.manifest.configSource}\n`,
  );
  process.stdout.write(
    `try it: npm run serve-web -- --input ${rel}   (or any static file server), open the URL and drop an event's files\n`,
  );
}

export async function serveWebCommand(flags: { input: string; port: number }): Promise<void> {
  if (!existsSync(path.join(flags.input, 'index.html')))
    throw new InputError(flags.input, undefined, 'no index.html here; run `npm run build:web` first');
  const server = await serveStatic(path.resolve(flags.input), flags.port);
  process.stdout.write(`serving ${flags.input} (static files only)\n${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
