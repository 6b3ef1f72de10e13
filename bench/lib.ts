// Shared bits for benchmarks: where the real data lives, timing, and writing results/*.json with the machine.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../src/core/repo-root.ts';

export { repoRoot };
/** Real TrackML files, never committed: $TRACKML_DATA, by default ../shared/trackml-data beside the clone. */
export const sharedDataDir = process.env.TRACKML_DATA
  ? path.resolve(process.env.TRACKML_DATA)
  : path.resolve(repoRoot, '..', 'shared', 'trackml-data');

export function machineInfo(): Record<string, unknown> {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    /* not a git checkout */
  }
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    // A busy box slows everything: the load at the start tells how much to trust the times.
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    commit,
  };
}

/** Minimum and median wall time of `fn` over `repeats` runs, in ms (min is the honest figure on a busy box). */
export async function timeIt(fn: () => unknown, repeats = 5): Promise<{ minMs: number; medianMs: number }> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { minMs: times[0], medianMs: times[Math.floor(times.length / 2)] };
}

/** Writes bench/results/<name>.json atomically, with the machine it ran on. */
export function writeResult(name: string, result: Record<string, unknown>): string {
  const dir = path.join(repoRoot, 'bench', 'results');
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify({ name, machine: machineInfo(), ...result }, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
  return file;
}
