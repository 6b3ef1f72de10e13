// Atomic outputs: a file is written to `<name>.tmp-<pid>` and renamed; a group of files that must change together
// (a checkpoint) is written to `<dir>.tmp-<pid>/` and swapped in by two renames. A crash or kill never leaves a
// half-written file under a final name, and the next run removes what dead processes left (restoring a directory a
// swap had moved aside). Output paths are checked before any heavy work, with filesystem errors as one line.
//
// Test hook: with TRACKML_FAULT_AT_RENAME=N in the environment the process kills itself (SIGKILL, as `kill -9`)
// just before its Nth commit rename — deterministic fault injection for the kill/resume tests. Renames are
// counted per thread; every commit of this project runs on the main thread.
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.ts';
import { digestBytes, type FileDigest } from './hash.ts';

const faultAt = Number(process.env.TRACKML_FAULT_AT_RENAME ?? '0');
let renames = 0;

/** The commit point of every atomic write: a rename, counted for the fault-injection hook. */
export function commitRename(from: string, to: string): void {
  if (faultAt > 0 && ++renames === faultAt) {
    writeSync(2, `fault injection: killed at rename ${renames} (${path.basename(from)} → ${path.basename(to)})\n`);
    process.kill(process.pid, 'SIGKILL');
  }
  renameSync(from, to);
}

/** The first existing path at or above `p` that is not a directory (what makes ENOTDIR/EEXIST), if any. */
function fileInTheWay(p: string): string | undefined {
  for (let q = path.resolve(p); ; q = path.dirname(q)) {
    let st;
    try {
      st = statSync(q);
    } catch {
      if (path.dirname(q) === q) return undefined;
      continue;
    }
    return st.isDirectory() ? undefined : q;
  }
}

/** A filesystem error on an output path as the user's one-line error (InputError); other errors unchanged. */
export function outputError(target: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM')
    return new InputError(target, undefined, 'cannot write: permission denied');
  // ERR_FS_EISDIR: rmSync of a directory (an old file to replace is a directory now).
  if (code === 'EISDIR' || code === 'ERR_FS_EISDIR') return new InputError(target, undefined, 'cannot write: a directory is in the way');
  if (code === 'ENOSPC' || code === 'EDQUOT') return new InputError(target, undefined, 'cannot write: no space left on the device');
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    const blocker = fileInTheWay(path.dirname(target)) ?? fileInTheWay(target);
    return new InputError(target, undefined, `cannot write: ${blocker ?? 'a parent'} is a file, not a directory`);
  }
  return err;
}

/** Writes `data` to `file` via `file.tmp-<pid>` + rename; returns its digest (for the record that vouches for
 * it). Unwritable places are the user's error (InputError). */
export function writeFileAtomic(file: string, data: string | Uint8Array): FileDigest {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    commitRename(tmp, file);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The cleanup's own error (ENOTDIR when a parent is a file) would hide the real one.
    }
    throw outputError(file, err);
  }
  return digestBytes(data);
}

/** Replaces directory `dir` by one holding exactly `files` (name → bytes), as one unit: the files go into
 * `dir.tmp-<pid>/`, then `dir` moves aside to `dir.old-<pid>` and the new one takes its name. A kill between the
 * two renames leaves no `dir` but a whole `dir.old-<pid>`, which removeStaleTemps restores. */
export function writeDirAtomic(dir: string, files: Record<string, string | Uint8Array>): Record<string, FileDigest> {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  const digests: Record<string, FileDigest> = {};
  try {
    if (existsSync(dir) && !lstatSync(dir).isDirectory()) throw new InputError(dir, undefined, 'cannot write: is a file, not a directory');
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const [name, data] of Object.entries(files)) {
      writeFileSync(path.join(tmp, name), data);
      digests[name] = digestBytes(data);
    }
  } catch (err) {
    try {
      rmSync(tmp, { recursive: true, force: true });
    } catch {
      // keep the real error
    }
    throw outputError(dir, err);
  }
  const moved = existsSync(dir);
  if (moved) commitRename(dir, old);
  try {
    commitRename(tmp, dir);
  } catch (err) {
    if (moved) renameSync(old, dir);
    throw outputError(dir, err);
  }
  if (moved) rmSync(old, { recursive: true, force: true });
  return digests;
}

/** Whether a process with this id runs (on this machine). */
export function isPidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const TEMP_RE = /^(.+)\.(tmp|old)-(\d+)$/;

/** Cleans what killed runs left in `dir`: temp files and directories (`*.tmp-<pid>`) are removed, and a
 * directory moved aside by an interrupted swap (`*.old-<pid>`) is put back when its place is empty (else
 * removed). Only entries of dead processes are touched, so concurrent runs are safe. Returns how many. */
export function removeStaleTemps(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let n = 0;
  // .old first: a restored directory makes its .tmp sibling redundant.
  const stale = names.map((name) => ({ name, m: TEMP_RE.exec(name) })).filter((e) => e.m && !isPidAlive(Number(e.m[3])));
  stale.sort((a, b) => (a.m![2] === b.m![2] ? 0 : a.m![2] === 'old' ? -1 : 1));
  for (const { name, m } of stale) {
    const full = path.join(dir, name);
    const base = path.join(dir, m![1]);
    if (m![2] === 'old') {
      // Only directories are swapped aside (writeDirAtomic): a file of that shape is not ours to touch.
      if (!statSync(full).isDirectory()) continue;
      if (!existsSync(base)) renameSync(full, base);
      else rmSync(full, { recursive: true, force: true });
    } else rmSync(full, { recursive: true, force: true });
    n++;
  }
  return n;
}

/** Checks, without creating anything, that `dir` is or can become a writable directory: one line otherwise
 * (a file in its place or above it, no write permission). Run before any heavy work. */
export function checkOutputDir(dir: string): void {
  const abs = path.resolve(dir);
  for (let p = abs; ; p = path.dirname(p)) {
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(p) !== p) continue;
      throw outputError(dir, err);
    }
    if (!st.isDirectory())
      throw new InputError(dir, undefined, p === abs ? 'is a file, not a directory' : `cannot create it: ${p} is a file, not a directory`);
    try {
      accessSync(p, constants.W_OK);
    } catch {
      throw new InputError(dir, undefined, p === abs ? 'not writable (permission denied)' : `cannot create it: ${p} is not writable`);
    }
    return;
  }
}

/** checkOutputDir, then creates `dir`. */
export function ensureOutputDir(dir: string): void {
  checkOutputDir(dir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw outputError(dir, err);
  }
}

/** Checks that `file` can be written: not a directory, its directory can be made. */
export function checkOutputFile(file: string): void {
  if (existsSync(file) && statSync(file).isDirectory()) throw new InputError(file, undefined, 'cannot write: is a directory');
  checkOutputDir(path.dirname(path.resolve(file)));
}

/** A filesystem error on opening an input file, as the user's one-line error: what is wrong with the path, not the
 * errno (a dangling symlink names its missing target). Errors that are not about the path are returned as they are. */
export function inputFsError(file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    try {
      if (lstatSync(file).isSymbolicLink())
        return new InputError(file, undefined, `dangling symbolic link (its target ${readlinkSync(file)} does not exist)`);
    } catch {
      // not a link either: plain "not found"
    }
    return new InputError(file, undefined, 'file not found');
  }
  if (code === 'ENOTDIR') return new InputError(file, undefined, 'file not found (a folder on its path is a file)');
  if (code === 'EISDIR') return new InputError(file, undefined, 'is a directory, expected a file');
  if (code === 'EACCES' || code === 'EPERM') return new InputError(file, undefined, 'permission denied');
  if (code === 'ELOOP') return new InputError(file, undefined, 'symbolic link loop');
  if (code === 'ENAMETOOLONG') return new InputError(file, undefined, 'file name too long');
  return err as Error;
}
