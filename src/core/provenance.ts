// Provenance written beside every stage's outputs: what ran, with which config, code version, inputs and timings.
import { execFile, execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './fs.ts';
import { repoRoot } from './repo-root.ts';
import { provenanceFileName } from './run-files.ts';

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

/** codeVersion without blocking: the two git commands run as child processes (on another core while this thread
 * works), and their answer is what codeVersion() returns from then on. */
export function codeVersionAsync(): Promise<string> {
  if (cachedVersion !== undefined) return Promise.resolve(cachedVersion);
  const git = (args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile('git', args, { cwd: repoRoot }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))),
    );
  return Promise.all([git(['rev-parse', '--short', 'HEAD']), git(['status', '--porcelain', '--untracked-files=no'])]).then(
    ([head, status]) => {
      const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
      cachedVersion ??= `${pkg.version}+${head}${status !== '' ? '-dirty' : ''}`;
      return cachedVersion;
    },
    () => codeVersion(),
  );
}

/** The layers of src/ from the bottom up (STYLE.md): a stage's code is its layer and every layer below it. */
export const CODE_LAYERS = ['core', 'trackml', 'geometry', 'simulate', 'graph', 'gnn', 'tracks', 'pipeline'] as const;
export type CodeLayer = (typeof CODE_LAYERS)[number];

const codeHashes = new Map<CodeLayer, string>();

/** A hash of the code a stage at `layer` runs: the source files of that layer and all below (with scoring/ from
 * `tracks` up), the built-in detector's layer table and package-lock.json. Unlike codeVersion it sees
 * uncommitted edits; once per process (a few ms). */
export function codeHash(layer: CodeLayer): string {
  const cached = codeHashes.get(layer);
  if (cached !== undefined) return cached;
  const layers = CODE_LAYERS.slice(0, CODE_LAYERS.indexOf(layer) + 1);
  const roots = [
    ...layers.map((l) => `src/${l}`),
    ...(layers.includes('tracks') ? ['scoring'] : []),
    'trackml-data/layer-table.json',
    'package-lock.json',
  ];
  const h = createHash('sha256');
  const add = (rel: string): void => {
    const full = path.join(repoRoot, rel);
    let st;
    try {
      st = statSync(full);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const name of readdirSync(full).sort()) add(path.posix.join(rel, name));
    else if (/\.(ts|mjs|json)$/.test(rel)) h.update(`${rel}\0${st.size}\0`).update(readFileSync(full));
  };
  roots.forEach(add);
  const hash = h.digest('hex').slice(0, 32);
  codeHashes.set(layer, hash);
  return hash;
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
  const file = path.join(dir, provenanceFileName(prov.stage));
  const record = {
    ...prov,
    codeVersion: codeVersion(),
    command: process.argv
      .slice(1)
      .map((a) => path.relative(repoRoot, a) || a)
      .join(' '),
    node: process.version,
    host: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length },
    finishedAt: new Date().toISOString(),
  };
  writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n');
  return file;
}

/** The input directory a stage's output records in its provenance (`results.inputDir`, else the first input),
 * when it exists on this machine: how a consumer of `dir` (the viewer, the exporter) finds the events behind it.
 * A relative recorded path was relative to where the stage ran: the working directory, then beside `dir`. */
export function recordedInputDir(dir: string, stage = 'pipeline'): string | undefined {
  const file = path.join(dir, provenanceFileName(stage));
  if (!existsSync(file)) return undefined;
  let prov: { inputs?: unknown; results?: { inputDir?: unknown } };
  try {
    prov = JSON.parse(readFileSync(file, 'utf8')) as typeof prov;
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  if (typeof prov.results?.inputDir === 'string') candidates.push(prov.results.inputDir);
  if (Array.isArray(prov.inputs) && typeof prov.inputs[0] === 'string') {
    const first = prov.inputs[0];
    candidates.push(path.resolve(first), path.resolve(dir, '..', first), path.resolve(dir, first));
  }
  return candidates.map((c) => path.resolve(c)).find((c) => existsSync(c) && c !== path.resolve(dir));
}
