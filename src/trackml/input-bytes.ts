// What a TrackML input's raw bytes must be, wherever they were read (a file on disk, or a file dropped on the web
// page): not empty, gzip recognised by its magic whatever the name, and the messages for each refusal. Pure: the
// caller inflates (node:zlib in Node, DecompressionStream in a browser) and reports a failure as CORRUPT_GZIP.
import { InputError } from '../core/errors.ts';

export const CORRUPT_GZIP = 'truncated or corrupt gzip';

/** True when the bytes start with the gzip magic 0x1f 0x8b. */
export function isGzip(raw: Uint8Array): boolean {
  return raw[0] === 0x1f && raw[1] === 0x8b; // past the end reads undefined: fewer than 2 bytes is never gzip
}

/** Refuses raw bytes that cannot be an input file. */
export function checkRawInput(file: string, raw: Uint8Array): void {
  if (raw.length === 0) throw new InputError(file, undefined, 'empty file');
}

/** Refuses what a gzip inflated to when it holds nothing. */
export function checkInflatedInput(file: string, data: Uint8Array): void {
  if (data.length === 0) throw new InputError(file, undefined, 'empty file (gzip holds no data)');
}

export interface InputLimits {
  /** Largest file on disk (bytes), compressed or not. */
  maxFileBytes: number;
  /** Largest content after gunzip (bytes). */
  maxDataBytes: number;
  /** Longest line (bytes, without its line end). */
  maxLineBytes: number;
}

export const MIB = 1024 * 1024;

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

/** The limits the environment asks for: the defaults, each overridable by its variable (a malformed value is a user
 * error). Pure: a browser passes {}; Node's inputLimits (input-file.ts) also caps them at what a Buffer holds. */
export function envInputLimits(env: Readonly<Record<string, string | undefined>>): InputLimits {
  const limits = { ...DEFAULT_INPUT_LIMITS };
  for (const key of Object.keys(INPUT_LIMIT_ENV) as (keyof InputLimits)[]) {
    const name = INPUT_LIMIT_ENV[key];
    const text = env[name];
    if (text === undefined || text === '') continue;
    const bytes = parseByteSize(text);
    if (bytes === undefined) throw new InputError(undefined, undefined, `${name}="${text}" is not a size (e.g. 512M, 2G, 65536)`);
    limits[key] = bytes;
  }
  return limits;
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
