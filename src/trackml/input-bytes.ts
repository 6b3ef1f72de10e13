// What a TrackML input's raw bytes must be, wherever they were read (a file on disk, or a file dropped on the web
// page): not empty, gzip recognised by its magic whatever the name, and the messages for each refusal. Pure: the
// caller inflates (node:zlib in Node, DecompressionStream in a browser) and reports a failure as CORRUPT_GZIP.
import { InputError } from '../core/errors.ts';

export const CORRUPT_GZIP = 'truncated or corrupt gzip';

/** True when the bytes start with the gzip magic 0x1f 0x8b. */
export function isGzip(raw: Uint8Array): boolean {
  return raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
}

/** Refuses raw bytes that cannot be an input file. */
export function checkRawInput(file: string, raw: Uint8Array): void {
  if (raw.length === 0) throw new InputError(file, undefined, 'empty file');
}

/** Refuses what a gzip inflated to when it holds nothing. */
export function checkInflatedInput(file: string, data: Uint8Array): void {
  if (data.length === 0) throw new InputError(file, undefined, 'empty file (gzip holds no data)');
}
