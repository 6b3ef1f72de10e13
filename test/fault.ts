// Fault injection for the kill/resume tests: run a CLI with TRACKML_FAULT_AT_RENAME=N (src/core/fs.ts), which
// SIGKILLs it just before its Nth commit rename, for N = 1, 2, … until a run gets through; after each kill the
// caller checks what is on disk and reruns. Also: what two runs' outputs must share to count as identical.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { cliArgv } from './cli-run.ts';
import { repoRoot } from './real-data.ts';

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `node src/cli/launch.mjs <command> …args` (as its npm script runs it), killed at its Nth rename when `faultAt`
 * is given. */
export function runCli(command: string, args: string[], faultAt?: number): CliRun {
  const env = { ...process.env };
  delete env.TRACKML_FAULT_AT_RENAME;
  if (faultAt !== undefined) env.TRACKML_FAULT_AT_RENAME = String(faultAt);
  const r = spawnSync(process.execPath, cliArgv(command, ...args), { cwd: repoRoot, encoding: 'utf8', env });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Kills `run` at rename 1, 2, … (each time `afterKill(n)` checks the state and resumes) until a run finishes;
 * returns how many rename points there were. Fails when a run dies any other way. */
export async function killAtEveryRename(
  run: (faultAt: number) => CliRun,
  afterKill: (n: number) => Promise<void> | void,
  max = 60,
): Promise<number> {
  for (let n = 1; n <= max; n++) {
    const r = run(n);
    if (r.status === 0) return n - 1;
    expect(r.signal, `run killed at rename ${n}: status ${r.status}, stderr: ${r.stderr.slice(-2000)}`).toBe('SIGKILL');
    expect(r.stderr).toContain(`fault injection: killed at rename ${n} `);
    await afterKill(n);
  }
  throw new Error(`more than ${max} renames`);
}

/** Files in `dir` (recursively, relative paths), sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? listFiles(dir, path.join(prefix, d.name)) : [path.join(prefix, d.name)]))
    .sort();
}

/** JSON without the keys that hold wall times or dates, or say how a run ran an event (its wall time, whether it
 * was that run's first, overlapped): they differ between any two runs, a resumed one most of all. */
export function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value === null || typeof value !== 'object') return value;
  const volatile = new Set(['timingsMs', 'seconds', 'edgesPerSecond', 'finishedAt', 'ms', 'wallMs', 'firstOfRun', 'overlapped']);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !volatile.has(k))
      .map(([k, v]) => [k, withoutTimings(v)]),
  );
}

/** Expects the files of `dir` to equal those of `ref`: the same names, data files byte for byte, JSON records equal
 * but for timings; `skip` names files that hold timings throughout (reports, provenance). A JSON file's digests of
 * sibling JSON files (a checkpoint's `files`, whose model.json carries the training curves with their wall times)
 * must match those files' bytes and are otherwise left out: the files themselves are compared without timings. */
export function expectSameOutputs(dir: string, ref: string, skip: (name: string) => boolean = () => false): void {
  const names = listFiles(ref).filter((n) => !skip(n));
  expect(listFiles(dir).filter((n) => !skip(n))).toEqual(names);
  const parsed = (root: string, name: string): unknown => {
    const value = JSON.parse(readFileSync(path.join(root, name), 'utf8')) as { files?: Record<string, { sha256: string }> };
    for (const [sibling, digest] of Object.entries(value.files ?? {})) {
      if (!sibling.endsWith('.json')) continue;
      const bytes = readFileSync(path.join(root, path.dirname(name), sibling));
      expect(createHash('sha256').update(bytes).digest('hex'), `${name}: digest of ${sibling}`).toBe(digest.sha256);
      delete value.files![sibling];
    }
    return withoutTimings(value);
  };
  for (const name of names) {
    if (name.endsWith('.json')) {
      expect(parsed(dir, name), name).toEqual(parsed(ref, name));
      continue;
    }
    const [a, b] = [readFileSync(path.join(dir, name)), readFileSync(path.join(ref, name))];
    expect(a.equals(b), `${name} differs from the uninterrupted run's`).toBe(true);
  }
}
