// Serving files of the viewer's data folders and nothing else, checked when a file is served, not only when the
// folders were scanned: the real path (symlinks resolved) must lie inside one of the real roots — compared with the path
// separator, so a sibling folder that shares the root's name prefix is outside — and the file is opened without
// following a final symlink, then the open descriptor is compared (device + inode) with what the checked path names
// now, so a file swapped for a symlink between the check and the open is refused too.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../src/core/errors.ts';
import { inputLimits } from '../../src/trackml/index.ts';

/** A refused file: the HTTP status that says why (403 outside the root, 404 missing or not a regular file). */
export class ServeRefusal extends Error {
  readonly status: 403 | 404;
  constructor(status: 403 | 404, reason: string) {
    super(reason);
    this.name = 'ServeRefusal';
    this.status = status;
  }
}

/** True when `real` (a real path) is the root itself or lies below it. */
export function insideRoot(realRoot: string, real: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);
}

/** True when `file`'s real path (symlinks resolved) lies inside `realRoot`. */
export function isInside(realRoot: string, file: string): boolean {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return false;
  }
  return insideRoot(realRoot, real);
}

/** True when the real path `real` still names the file `opened` (device + inode) and is still real (no symlink on
 * it); false when it is gone. */
export function stillNames(real: string, opened: { dev: number; ino: number }): boolean {
  try {
    const now = statSync(real);
    return now.dev === opened.dev && now.ino === opened.ino && realpathSync(real) === real;
  } catch {
    return false;
  }
}

// O_NOFOLLOW: a final symlink swapped in after realpath fails the open (ELOOP). O_NONBLOCK: a FIFO does not hang the
// open (it is then refused as not a regular file). Both are 0 where the platform lacks them.
export const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Opens `file` for reading when it is a regular file inside one of `realRoots` (see the file comment); the caller
 * closes the descriptor. Throws a ServeRefusal otherwise. */
export function openInside(realRoots: string | readonly string[], file: string): { fd: number; size: number } {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    throw new ServeRefusal(404, 'not found');
  }
  const roots = typeof realRoots === 'string' ? [realRoots] : realRoots;
  if (!roots.some((root) => insideRoot(root, real))) throw new ServeRefusal(403, 'outside the served folder');
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // EACCES / EPERM: unreadable (a mode-000 file); ELOOP: a symlink appeared since realpath.
    if (code === 'EACCES' || code === 'EPERM' || code === 'ELOOP') throw new ServeRefusal(403, 'not readable');
    throw new ServeRefusal(404, 'not found');
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw new ServeRefusal(404, 'not a regular file');
    // The checked path must still name what was opened (no folder on it swapped for a symlink meanwhile).
    if (!stillNames(real, opened)) throw new ServeRefusal(403, 'changed while being opened');
    return { fd, size: opened.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** The whole content of `file` read through a checked descriptor (openInside), at most the input size limit. */
export function readInside(realRoots: string | readonly string[], file: string): Uint8Array {
  const { fd, size } = openInside(realRoots, file);
  try {
    const limit = inputLimits().maxFileBytes;
    if (size > limit) throw new InputError(file, undefined, `its size (${size} bytes) is over the input size limit (${limit} bytes)`);
    const buf = Buffer.allocUnsafeSlow(size);
    let done = 0;
    // Stryker disable next-line EqualityOperator: `done <= size` only adds a 0-byte read at the end, which returns 0 and breaks
    while (done < size) {
      const n = readSync(fd, buf, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done); // fewer bytes than stated when the file shrank (or is a sysfs file)
  } finally {
    closeSync(fd);
  }
}
