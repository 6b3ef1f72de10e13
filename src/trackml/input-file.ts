// Reading one TrackML input file into memory, within limits: a file-size cap, a decompressed-size cap (gzip is
// inflated with a cap on its output, so a gzip bomb stops there), and a first-line check before a large file is read
// whole. Every refusal is an InputError naming the file and the limit (and the environment variable that raises it).
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../core/errors.ts';
import { inputFsError } from '../core/fs.ts';

export interface InputLimits {
  /** Largest file on disk (bytes), compressed or not. */
  maxFileBytes: number;
  /** Largest content after gunzip (bytes). */
  maxDataBytes: number;
  /** Longest line (bytes, without its line end). */
  maxLineBytes: number;
}

const MIB = 1024 * 1024;
const GUNZIP_CHUNK_BYTES = MIB;

/** Generous for real data: a full TrackML event's largest file is ~15 MB as .csv (~1.4 MB as .csv.gz), its longest
 * line ~250 bytes (detectors.csv). */
export const DEFAULT_INPUT_LIMITS: Readonly<InputLimits> = {
  maxFileBytes: 256 * MIB,
  maxDataBytes: 256 * MIB,
  maxLineBytes: 16 * 1024,
};

/** The environment variable that overrides each limit (a byte count, or with a K / M / G suffix, powers of 1024). */
export const INPUT_LIMIT_ENV: Readonly<Record<keyof InputLimits, string>> = {
  maxFileBytes: 'TRACKML_MAX_FILE_SIZE',
  maxDataBytes: 'TRACKML_MAX_DATA_SIZE',
  maxLineBytes: 'TRACKML_MAX_LINE_LENGTH',
};

const UNIT: Record<string, number> = { '': 1, k: 1024, m: MIB, g: 1024 * MIB };

/** "512M" → 536870912; undefined when the text is not a positive size. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * UNIT[m[2].toLowerCase()]);
  return bytes >= 1 ? bytes : undefined;
}

/** "1.5 GiB", "256 MiB", "16 KiB", "100 bytes": sizes in messages. */
export function formatByteSize(bytes: number): string {
  if (bytes >= 1024 * MIB) return `${+(bytes / (1024 * MIB)).toFixed(1)} GiB`;
  if (bytes >= MIB) return `${+(bytes / MIB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** The limits in force: the defaults, each overridable by its environment variable (read on every call, so worker
 * threads, which inherit the environment, apply the same limits). A malformed value is a user error. */
export function inputLimits(env: NodeJS.ProcessEnv = process.env): InputLimits {
  const limits = { ...DEFAULT_INPUT_LIMITS };
  for (const key of Object.keys(INPUT_LIMIT_ENV) as (keyof InputLimits)[]) {
    const name = INPUT_LIMIT_ENV[key];
    const text = env[name];
    if (text === undefined || text === '') continue;
    const bytes = parseByteSize(text);
    if (bytes === undefined) throw new InputError(undefined, undefined, `${name}="${text}" is not a size (e.g. 512M, 2G, 65536)`);
    limits[key] = bytes;
  }
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
    if (size === 0) throw new InputError(file, undefined, 'empty file');
    if (size > limits.maxFileBytes) throw overLimit(file, `its size (${formatByteSize(size)})`, limits.maxFileBytes, 'maxFileBytes');
    // Uninitialised memory: pages not yet read into stay unmapped, so a refusal after the head costs nothing.
    raw = Buffer.allocUnsafeSlow(size);
    const head = readFully(fd, raw, 0, Math.min(size, limits.maxLineBytes + 2), 0);
    const gzip = head >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
    if (!gzip) checkFirstLine(file, raw.subarray(0, head), head < size, limits.maxLineBytes);
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
  if (raw.length === 0) throw new InputError(file, undefined, 'empty file');
  if (raw.length > limits.maxFileBytes) throw overLimit(file, `its size (${formatByteSize(raw.length)})`, limits.maxFileBytes, 'maxFileBytes');
  const gzip = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  const head = Math.min(raw.length, limits.maxLineBytes + 2);
  if (!gzip) checkFirstLine(file, Buffer.from(raw.buffer, raw.byteOffset, head), head < raw.length, limits.maxLineBytes);
  return inflateInput(file, raw, limits);
}

/** Gunzips when the bytes start with the gzip magic 0x1f 0x8b (whatever the file's name), within the data cap. */
function inflateInput(file: string, raw: Uint8Array, limits: InputLimits): Uint8Array {
  if (!(raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b)) return raw;
  let out: Buffer;
  try {
    // Inflated chunk by chunk, stopping as soon as the output passes the cap: memory stays ≤ the cap. 1 MiB chunks
    // instead of zlib's 16 KiB: a full event's hits inflate ~3× faster (fewer chunk copies).
    out = gunzipSync(raw, { maxOutputLength: limits.maxDataBytes, chunkSize: GUNZIP_CHUNK_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw overLimit(file, 'its decompressed size', limits.maxDataBytes, 'maxDataBytes');
    }
    throw new InputError(file, undefined, 'truncated or corrupt gzip');
  }
  if (out.length === 0) throw new InputError(file, undefined, 'empty file (gzip holds no data)');
  return out;
}

/** Lines that end in a bare carriage return (classic Mac OS, some spreadsheet exports): refused by name rather than
 * read as one long line. */
export const CR_ONLY_REASON = 'lines end in a bare carriage return (CR, classic Mac OS style); convert the line ends to LF or CRLF';

/** True when `bytes[from, to)` holds a CR followed by something other than LF (a CR as the very last byte of
 * `bytes` is not judged: what follows is unknown). */
export function hasBareCr(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] === 13 && i + 1 < bytes.length && bytes[i + 1] !== 10) return true;
  return false;
}

/** The first line must end within the line limit (`more`: the file goes on past `head`). */
function checkFirstLine(file: string, head: Buffer, more: boolean, maxLineBytes: number): void {
  const nl = head.indexOf(10);
  if (hasBareCr(head, 0, nl < 0 ? head.length : nl)) throw new InputError(file, 1, CR_ONLY_REASON);
  const end = nl < 0 ? head.length : nl > 0 && head[nl - 1] === 13 ? nl - 1 : nl;
  if (end > maxLineBytes || (nl < 0 && more)) {
    throw new InputError(file, 1, `line longer than the limit of ${formatByteSize(maxLineBytes)} (no line end in its first ${formatByteSize(maxLineBytes)}; set ${INPUT_LIMIT_ENV.maxLineBytes} to raise it)`);
  }
}
