// Up-to-date checks for per-event outputs: a cache key hashes the config, the code version, the scorer and the
// input files' sizes and mtimes; each event's record stores its key beside the outputs it vouches for.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { inputFsError } from './fs.ts';

/** Name, size and mtime of a file: enough to notice a replaced or rewritten input without reading it. */
export function fileStamp(file: string): { file: string; bytes: number; mtimeMs: number } {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    throw inputFsError(file, err); // a dangling symlink among the inputs: one line, not a stack
  }
  return { file: path.basename(file), bytes: st.size, mtimeMs: Math.round(st.mtimeMs) };
}

/** SHA-256 (hex, first 32 chars) of the JSON of `parts`. */
export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** SHA-256 of the contents of `files` (for small files such as a model), in the given order. */
export function contentHash(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(path.basename(f)).update(readFileSync(f));
  return h.digest('hex').slice(0, 32);
}

/** The JSON record in `file` when it exists, parses, carries `cacheKey === key` and every file in `outputs`
 * exists; otherwise undefined (the event must be redone). */
export function upToDate<T extends { cacheKey: string }>(file: string, key: string, outputs: readonly string[]): T | undefined {
  if (!existsSync(file) || outputs.some((f) => !existsSync(f))) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as T;
    return record.cacheKey === key ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Removes temp files (`*.tmp-<pid>`) that a killed run left in `dir`; the final names were never touched. */
export function removeStaleTemps(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const name of readdirSync(dir)) {
    if (/\.tmp-\d+$/.test(name)) {
      rmSync(path.join(dir, name), { force: true });
      n++;
    }
  }
  return n;
}
