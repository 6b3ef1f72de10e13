// Reading one TrackML input file from disk into memory (gunzipped when it starts with the gzip magic). The checks
// and messages are input-bytes.ts's, shared with the web page that reads dropped files.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../core/errors.ts';
import { checkInflatedInput, checkRawInput, CORRUPT_GZIP, isGzip } from './input-bytes.ts';

/** Reads a whole file, gunzipping when it starts with the gzip magic 0x1f 0x8b (whatever its name). */
export function readInputBytes(file: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(file, undefined, 'file not found');
    if (code === 'EISDIR') throw new InputError(file, undefined, 'is a directory, expected a file');
    if (code === 'EACCES') throw new InputError(file, undefined, 'permission denied');
    throw err;
  }
  checkRawInput(file, raw);
  if (!isGzip(raw)) return raw;
  let data: Buffer;
  try {
    data = gunzipSync(raw);
  } catch {
    throw new InputError(file, undefined, CORRUPT_GZIP);
  }
  checkInflatedInput(file, data);
  return data;
}
