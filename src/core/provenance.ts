// Provenance written beside every stage's outputs: what ran, with which config, code version, inputs and timings.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './fs.ts';
import { repoRoot } from './repo-root.ts';

let cachedVersion: string | undefined;

/** Package version plus git commit (and "-dirty" when the tree has uncommitted changes), or just the version. */
export function codeVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  let git = '';
  try {
    const opts = { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'] };
    git = execSync('git rev-parse --short HEAD', opts).toString().trim();
    const dirty = execSync('git status --porcelain --untracked-files=no', opts).toString().trim() !== '';
    if (dirty) git += '-dirty';
  } catch {
    git = 'no-git';
  }
  cachedVersion = `${pkg.version}+${git}`;
  return cachedVersion;
}

export interface Provenance {
  /** e.g. "simulate", "score", "main". */
  stage: string;
  /** The resolved config (defaults filled in) that produced the outputs. */
  config: unknown;
  /** Input paths (files or directories) the stage read. */
  inputs: string[];
  /** Wall times in ms, by step or by event. */
  timingsMs: Record<string, number>;
  /** Anything stage-specific worth keeping next to the outputs (counts, scores). */
  results?: Record<string, unknown>;
}

/** Writes `<dir>/provenance-<stage>.json` with the code version, command line, machine and time. */
export function writeProvenance(dir: string, prov: Provenance): string {
  const file = path.join(dir, `provenance-${prov.stage}.json`);
  const record = {
    ...prov,
    codeVersion: codeVersion(),
    command: process.argv.slice(1).map((a) => path.relative(repoRoot, a) || a).join(' '),
    node: process.version,
    host: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length },
    finishedAt: new Date().toISOString(),
  };
  writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n');
  return file;
}
