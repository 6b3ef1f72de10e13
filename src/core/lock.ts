// One run per output directory: `<dir>/.trackml-gnn.lock` holds the owner's pid and host. A second run on the same
// directory stops with one line while the owner lives; a lock whose process is dead (killed, crashed) is stale and
// taken over. Released when the run ends (and at process exit). Shards (`--shard I/N`) of one run write into one
// directory at once: each takes its own lock (`.trackml-gnn.shard-I-of-N.lock`), so the same shard cannot run
// twice, while a whole-directory run and any shard exclude each other.
import { closeSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from './errors.ts';
import { ensureOutputDir, isPidAlive, outputError, removeStaleTemps } from './fs.ts';
import { LOCK_FILE, SHARD_LOCK_RE, shardLockFile } from './run-files.ts';
import type { Shard } from './shard.ts';

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

/** Takes `<dir>/<name>` (dir must exist) and returns its release function. Throws an InputError naming the owner
 * when another live process holds it. */
export function lockDir(dir: string, name = LOCK_FILE): () => void {
  const file = path.join(dir, name);
  const info: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.slice(1).join(' '),
  };
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
        throw new InputError(
          dir,
          undefined,
          `in use by another run (pid ${owner.pid} on ${owner.host} since ${owner.startedAt}); wait for it, or remove ${file} if no run is active`,
        );
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

/** The lock files in `dir` (whole-directory and shard locks) whose owner still runs, with what holds them. */
export function liveLocks(dir: string): { name: string; owner: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: { name: string; owner: string }[] = [];
  for (const name of names.filter((n) => n === LOCK_FILE || SHARD_LOCK_RE.test(n)).sort()) {
    const info = readLock(path.join(dir, name));
    if (info && (info.host !== os.hostname() || isPidAlive(info.pid)))
      out.push({ name, owner: `pid ${info.pid} on ${info.host} since ${info.startedAt}` });
  }
  return out;
}

/** Prepares `dir` for a run: checks and creates it (one line when it cannot be), takes its lock and clears what
 * dead runs left there (removeStaleTemps). Returns the lock's release function. With a shard: that shard's lock,
 * refused while a whole-directory run holds the directory; stale temps are then left alone, since the other shards
 * may write there from other machines, where this one cannot tell a live writer's pid from a dead one's (they are
 * harmless under their temp names, and `npm run merge` clears them once every shard is done). */
export function openRunDir(dir: string, shard?: Shard): () => void {
  ensureOutputDir(dir);
  const release = lockDir(dir, shard ? shardLockFile(shard) : LOCK_FILE);
  const mine = shard ? shardLockFile(shard) : LOCK_FILE;
  const others = liveLocks(dir).filter((l) => l.name !== mine && (shard ? l.name === LOCK_FILE : true));
  if (others.length > 0) {
    release();
    const what = others
      .map((l) => `${l.name === LOCK_FILE ? 'a whole-directory run' : l.name.replace(/^\.trackml-gnn\.|\.lock$/g, '')} (${l.owner})`)
      .join(', ');
    throw new InputError(
      dir,
      undefined,
      `in use by ${what}; wait for ${others.length > 1 ? 'them' : 'it'}, or remove the lock file if nothing runs`,
    );
  }
  if (!shard) removeStaleTemps(dir);
  return release;
}
