// Atomic file writes: every output is written to a temp file beside it and renamed, so a crash or Ctrl-C never
// leaves a half-written file under the final name. The parent directory is created when missing.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
