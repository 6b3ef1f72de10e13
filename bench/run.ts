// `npm run bench [-- NAME …]` (flags: src/cli/commands/bench.ts): runs each bench/<NAME>.bench.ts in its own process
// (clean heap, honest memory).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../src/core/errors.ts';
import { repoRoot } from './lib.ts';

const benchDir = path.join(repoRoot, 'bench');

/** The benchmarks there are: bench/<name>.bench.ts. */
export function benchmarkNames(): string[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .sort();
}

/** Runs the named benchmarks (all when none is named); exit status 1 when one failed. */
export function runBenchmarks(wanted: string[]): void {
  const all = benchmarkNames();
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) throw new InputError(undefined, undefined, `unknown benchmark(s) ${unknown.join(', ')}; have: ${all.join(', ')}`);
  let failed = 0;
  for (const name of wanted.length > 0 ? wanted : all) {
    process.stdout.write(`\n=== bench ${name}\n`);
    // Benchmarks run from source: they time the code inside their process, so tsx's start-up does not count.
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(benchDir, `${name}.bench.ts`)], {
      stdio: 'inherit',
      cwd: repoRoot,
    });
    if (res.status !== 0) failed++;
  }
  if (failed > 0) process.exitCode = 1;
}
