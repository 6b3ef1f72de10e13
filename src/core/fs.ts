// Atomic file writes: every output is written to a temp file beside it and renamed, so a crash or Ctrl-C never
// leaves a half-written file under the final name. The parent directory is created when missing.
import { lstatSync, mkdirSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.ts';

/** Writes `data` to `file` via `file.tmp-<pid>` + rename. Unwritable places are the user's error (InputError). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
      throw new InputError(file, undefined, 'cannot write: permission denied');
    }
    if (code === 'EISDIR') throw new InputError(file, undefined, 'cannot write: is a directory');
    if (code === 'ENOTDIR' || code === 'EEXIST') throw new InputError(file, undefined, 'cannot write: a parent is not a directory');
    throw err;
  }
}

/** A filesystem error on opening an input file, as the user's one-line error: what is wrong with the path, not the
 * errno (a dangling symlink names its missing target). Errors that are not about the path are returned as they are. */
export function inputFsError(file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    try {
      if (lstatSync(file).isSymbolicLink()) return new InputError(file, undefined, `dangling symbolic link (its target ${readlinkSync(file)} does not exist)`);
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
