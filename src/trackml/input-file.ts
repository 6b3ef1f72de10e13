// Reading one TrackML input file into memory, within limits: a file-size cap, a decompressed-size cap (gzip is
// inflated with a cap on its output, so a gzip bomb stops there), and a first-line check before a large file is read
// whole. Every refusal is an InputError naming the file and the limit (and the environment variable that raises it).
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../core/errors.ts';
import { inputFsError } from '../core/fs.ts';
import {
  checkInflatedInput,
  checkRawInput,
  CORRUPT_GZIP,
  CR_ONLY_REASON,
  envInputLimits,
  formatByteSize,
  hasBareCr,
  INPUT_LIMIT_ENV,
  isGzip,
  MIB,
  type InputLimits,
} from './input-bytes.ts';

// The limits and their messages are pure (input-bytes.ts, shared with the web page); re-exported for importers here.
export {
  CR_ONLY_REASON,
  DEFAULT_INPUT_LIMITS,
  envInputLimits,
  formatByteSize,
  hasBareCr,
  INPUT_LIMIT_ENV,
  parseByteSize,
  type InputLimits,
} from './input-bytes.ts';

/** Deflate's largest expansion (a stream of back-references): no gzip of n bytes inflates to more than ~1032 n. */
const DEFLATE_MAX_RATIO = 1032;
/** Output chunks are never smaller than this (a gzip whose size field is wrong still inflates, chunk by chunk). */
const MIN_GUNZIP_CHUNK_BYTES = 64 * 1024;
/** Nor larger: a size field claiming gigabytes does not make us reserve them before inflating. */
const MAX_GUNZIP_CHUNK_BYTES = 512 * MIB;

/** The output chunk for gunzipping `raw`: the size the gzip trailer records (ISIZE, the last 4 bytes: the inflated
 * size mod 2^32 of the last member) plus one byte, so a well-formed single-member file inflates into one buffer with
 * no chunk copies (a full event's 10 MB truth: ~40 % less CPU than 1 MiB chunks, 2× less than zlib's 16 KiB), kept
 * within what the data cap and deflate's ratio allow. A wrong trailer only costs more chunks, never a wrong result. */
export function gunzipChunkBytes(raw: Uint8Array, maxDataBytes: number): number {
  const n = raw.length;
  // Stryker disable next-line EqualityOperator: equivalent — below 64 bytes the chunk is the 64 KiB minimum whatever the trailer says
  const isize = n >= 18 ? (raw[n - 4] | (raw[n - 3] << 8) | (raw[n - 2] << 16) | (raw[n - 1] << 24)) >>> 0 : 0;
  const cap = Math.min(maxDataBytes, n * DEFLATE_MAX_RATIO, MAX_GUNZIP_CHUNK_BYTES) + 1;
  return Math.max(MIN_GUNZIP_CHUNK_BYTES, Math.min(isize + 1, cap));
}

/** The limits in force: the defaults, each overridable by its environment variable (read on every call, so worker
 * threads, which inherit the environment, apply the same limits), capped at what a Buffer can hold. */
export function inputLimits(env: NodeJS.ProcessEnv = process.env): InputLimits {
  const limits = envInputLimits(env);
  // A Buffer cannot hold more than this, whatever the limit says.
  limits.maxDataBytes = Math.min(limits.maxDataBytes, bufferConstants.MAX_LENGTH);
  limits.maxFileBytes = Math.min(limits.maxFileBytes, bufferConstants.MAX_LENGTH);
  return limits;
}

/** A refused size, with the variable that raises the limit. */
function overLimit(file: string, what: string, limit: number, key: keyof InputLimits): InputError {
  return new InputError(file, undefined, `${what} is over the limit of ${formatByteSize(limit)} (set ${INPUT_LIMIT_ENV[key]} to raise it)`);
}

/** Reads up to `length` bytes at `position` into `buf` at `offset`; returns how many (fewer at end of file). */
function readFully(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Reads a whole file within `limits`, gunzipping when it starts with the gzip magic 0x1f 0x8b (whatever its name).
 * A plain file whose first line is longer than the line limit is refused after reading only that much. */
export function readInputBytes(file: string, limits: InputLimits = inputLimits()): Uint8Array {
  let fd: number;
  try {
    // stat first: opening a FIFO would block, and a directory or device is no input file.
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError(file, undefined, 'is a directory, expected a file');
    if (!st.isFile()) throw new InputError(file, undefined, 'not a regular file');
    fd = openSync(file, 'r');
  } catch (err) {
    throw err instanceof InputError ? err : inputFsError(file, err);
  }
  let raw: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size > limits.maxFileBytes) throw overLimit(file, `its size (${formatByteSize(size)})`, limits.maxFileBytes, 'maxFileBytes');
    // Uninitialised memory: pages not yet read into stay unmapped, so a refusal after the head costs nothing.
    raw = Buffer.allocUnsafeSlow(size);
    checkRawInput(file, raw);
    const head = readFully(fd, raw, 0, Math.min(size, limits.maxLineBytes + 2), 0);
    const headBytes = raw.subarray(0, head);
    if (!isGzip(headBytes)) checkFirstLine(file, headBytes, head < size, limits.maxLineBytes);
    const n = head + readFully(fd, raw, head, size - head, head);
    if (n < size) raw = raw.subarray(0, n); // shrank while we read
  } finally {
    closeSync(fd);
  }
  return inflateInput(file, raw, limits);
}

/** The same checks and decoding for bytes a caller read itself (the viewer server reads through a verified file
 * descriptor): size caps, the first line, gunzip with its cap. */
export function decodeInputBytes(file: string, raw: Uint8Array, limits: InputLimits = inputLimits()): Uint8Array {
  checkRawInput(file, raw);
  if (raw.length > limits.maxFileBytes)
    throw overLimit(file, `its size (${formatByteSize(raw.length)})`, limits.maxFileBytes, 'maxFileBytes');
  const head = Math.min(raw.length, limits.maxLineBytes + 2);
  if (!isGzip(raw)) checkFirstLine(file, Buffer.from(raw.buffer, raw.byteOffset, head), head < raw.length, limits.maxLineBytes);
  return inflateInput(file, raw, limits);
}

/** Gunzips when the bytes start with the gzip magic 0x1f 0x8b (whatever the file's name), within the data cap. */
function inflateInput(file: string, raw: Uint8Array, limits: InputLimits): Uint8Array {
  if (!isGzip(raw)) return raw;
  let out: Buffer;
  try {
    // Inflated chunk by chunk, stopping as soon as the output passes the cap: memory stays ≤ the cap. One chunk of
    // the size the trailer records where it is believable (gunzipChunkBytes): no chunk copies.
    out = gunzipSync(raw, { maxOutputLength: limits.maxDataBytes, chunkSize: gunzipChunkBytes(raw, limits.maxDataBytes) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw overLimit(file, 'its decompressed size', limits.maxDataBytes, 'maxDataBytes');
    }
    throw new InputError(file, undefined, CORRUPT_GZIP);
  }
  checkInflatedInput(file, out);
  return out;
}

/** The first line must end within the line limit (`more`: the file goes on past `head`). */
function checkFirstLine(file: string, head: Buffer, more: boolean, maxLineBytes: number): void {
  const nl = head.indexOf(10);
  if (hasBareCr(head, 0, nl < 0 ? head.length : nl)) throw new InputError(file, 1, CR_ONLY_REASON);
  const end = nl < 0 ? head.length : head[nl - 1] === 13 ? nl - 1 : nl; // head[-1] is undefined: an empty first line
  if (end > maxLineBytes || (nl < 0 && more)) {
    throw new InputError(
      file,
      1,
      `line longer than the limit of ${formatByteSize(maxLineBytes)} (no line end in its first ${formatByteSize(maxLineBytes)}; set ${INPUT_LIMIT_ENV.maxLineBytes} to raise it)`,
    );
  }
}
