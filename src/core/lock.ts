// One run per output directory: `<dir>/.lock` holds the owner's pid and host. A second run on the same directory
// stops with one line while the owner lives; a lock whose process is dead (killed, crashed) is stale and taken
// over. Released when the run ends (and at process exit).
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from './errors.ts';
import { ensureOutputDir, isPidAlive, outputError, removeStaleTemps } from './fs.ts';
import { LOCK_FILE } from './run-files.ts';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

const held = new Set<string>();
let exitHook = false;

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

/** Takes `<dir>/.lock` (dir must exist) and returns its release function. Throws an InputError naming the owner
 * when another live process holds it. */
export function lockDir(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), command: process.argv.slice(1).join(' ') };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw outputError(file, err);
      const owner = readLock(file);
      // A lock just created whose owner has not written it yet is not stale.
      const st = statSync(file, { throwIfNoEntry: false });
      if (!owner && st && Date.now() - st.mtimeMs < 5000)
        throw new InputError(dir, undefined, `in use by another run (lock ${file} being taken); try again`);
      // Another host's pid cannot be checked from here: treat it as alive.
      if (owner && (owner.host !== info.host || isPidAlive(owner.pid)))
        throw new InputError(dir, undefined, `in use by another run (pid ${owner.pid} on ${owner.host} since ${owner.startedAt}); wait for it, or remove ${file} if no run is active`);
      // Stale (dead owner, or a half-written lock): one taker wins the rename, the others retry.
      try {
        renameSync(file, `${file}.stale-${process.pid}`);
        rmSync(`${file}.stale-${process.pid}`, { force: true });
      } catch {
        // someone else took it over first
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(info) + '\n');
    } finally {
      closeSync(fd);
    }
    break;
  }
  held.add(file);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => held.forEach(release));
  }
  return () => release(file);
}

function release(file: string): void {
  if (!held.delete(file)) return;
  if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
}

/** Prepares `dir` for a run: checks and creates it (one line when it cannot be), takes its lock and clears what
 * dead runs left there (removeStaleTemps). Returns the lock's release function. */
export function openRunDir(dir: string): () => void {
  ensureOutputDir(dir);
  const release = lockDir(dir);
  removeStaleTemps(dir);
  return release;
}
