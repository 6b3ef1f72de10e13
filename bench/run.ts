// `npm run bench [-- NAME …]`: runs each bench/<NAME>.bench.ts in its own process (clean heap, honest memory).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib.ts';

const benchDir = path.join(repoRoot, 'bench');
const all = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => a !== '--');
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`error: unknown benchmark(s) ${unknown.join(', ')}; have: ${all.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  process.stdout.write(`\n=== bench ${name}\n`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(benchDir, `${name}.bench.ts`)], {
    stdio: 'inherit',
    cwd: repoRoot,
  });
  if (res.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
