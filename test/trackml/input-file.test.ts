// Reading one input file (src/trackml/input-file.ts) at its edges: the gunzip output chunk taken from the gzip
// trailer (one buffer for a well-formed file, bounded by the data cap, deflate's ratio and 512 MiB, never below
// 64 KiB), the first-line cap with CRLF and without any line end, bytes a caller read itself (the viewer server),
// a directory given as a file, and limits capped at what a Buffer holds.
import { constants as bufferConstants } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { decodeInputBytes, DEFAULT_INPUT_LIMITS, gunzipChunkBytes, inputLimits, readInputBytes } from '../../src/trackml/input-file.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('trackml-input-file-');
const MiB = 1024 * 1024;
const KiB64 = 64 * 1024;

/** `n` bytes whose gzip trailer (last 4 bytes, little-endian) says `isize`. */
function withTrailer(n: number, isize: number): Uint8Array {
  const raw = new Uint8Array(n);
  new DataView(raw.buffer).setUint32(n - 4, isize, true);
  return raw;
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError, got none');
}

describe('gunzip output chunk', () => {
  it('a well-formed gzip inflates into one chunk: its recorded size plus one byte', () => {
    const data = Buffer.alloc(3 * MiB + 5, 'a');
    expect(gunzipChunkBytes(gzipSync(data), 256 * MiB)).toBe(3 * MiB + 6);
  });

  it('reads the trailer little-endian, all four bytes, unsigned', () => {
    expect(gunzipChunkBytes(withTrailer(20_000, 0x01020304), 256 * MiB)).toBe(0x01020304 + 1);
    // 2^31 (top bit set): capped at 512 MiB, not read as negative
    expect(gunzipChunkBytes(withTrailer(1 * MiB, 0x80000000), 4 * 1024 * MiB)).toBe(512 * MiB + 1);
  });

  it('never below 64 KiB, never past the data cap, deflate’s 1032:1 ratio or 512 MiB', () => {
    expect(gunzipChunkBytes(gzipSync('hit_id\n1\n'), 256 * MiB)).toBe(KiB64);
    expect(gunzipChunkBytes(withTrailer(17, 1e6), 256 * MiB)).toBe(KiB64);
    expect(gunzipChunkBytes(withTrailer(20_000, 100 * MiB), 4 * MiB)).toBe(4 * MiB + 1);
    expect(gunzipChunkBytes(withTrailer(1000, 4e9), 256 * MiB)).toBe(1000 * 1032 + 1);
    expect(gunzipChunkBytes(withTrailer(1 * MiB, 4e9), 4 * 1024 * MiB)).toBe(512 * MiB + 1);
    expect(gunzipChunkBytes(withTrailer(1000, 70_000), 256 * MiB)).toBe(70_001);
  });

  it('a multi-member gzip (its trailer records the last member only) still inflates whole, in more chunks', () => {
    const first = Buffer.alloc(300_000, 'b');
    const last = Buffer.from('tail\n');
    const gz = Buffer.concat([gzipSync(first), gzipSync(last)]);
    expect(gunzipChunkBytes(gz, 256 * MiB)).toBe(KiB64);
    const f = path.join(dir, 'members.csv.gz');
    writeFileSync(f, gz);
    expect(Buffer.from(readInputBytes(f)).equals(Buffer.concat([first, last]))).toBe(true);
  });
});

describe('the first line and the line cap', () => {
  const limits = { ...DEFAULT_INPUT_LIMITS, maxLineBytes: 8 };
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('CRLF: the CR is not counted, exactly at the cap passes, one byte more is refused', () => {
    expect(readInputBytes(write('crlf8.csv', 'abcdefgh\r\n1\r\n'), limits).length).toBe(13);
    const e = inputError(() => readInputBytes(write('crlf9.csv', 'abcdefghi\r\n1\r\n'), limits));
    expect([e.row, e.reason]).toEqual([
      1,
      'line longer than the limit of 8 bytes (no line end in its first 8 bytes; set TRACKML_MAX_LINE_LENGTH to raise it)',
    ]);
  });

  it('an empty first line, or a file of one line with no line end within the cap, is read', () => {
    expect(readInputBytes(write('empty-first.csv', '\nabc\n'), limits).length).toBe(5);
    expect(readInputBytes(write('one-line.csv', 'abcdefgh'), limits).length).toBe(8);
  });

  it('no line end: refused when the file goes on past the cap', () => {
    expect(inputError(() => readInputBytes(write('nine.csv', 'abcdefghi'), limits)).row).toBe(1);
    expect(inputError(() => readInputBytes(write('ten.csv', 'abcdefghij'), limits)).row).toBe(1);
    expect(inputError(() => readInputBytes(write('long.csv', 'abcdefghijklmnop\n'), limits)).row).toBe(1);
  });
});

describe('bytes a caller read itself (decodeInputBytes)', () => {
  const text = Buffer.from('hit_id,x\n1,2\n');

  it('plain bytes come back as they are; gzip is inflated', () => {
    expect(Buffer.from(decodeInputBytes('a.csv', text)).equals(text)).toBe(true);
    expect(Buffer.from(decodeInputBytes('a.csv.gz', gzipSync(text))).equals(text)).toBe(true);
  });

  it('the same refusals as a file read: empty, over the size cap, first line, data cap, corrupt', () => {
    expect(inputError(() => decodeInputBytes('a.csv', new Uint8Array(0))).message).toBe('a.csv: empty file');
    expect(decodeInputBytes('a.csv', text, { ...DEFAULT_INPUT_LIMITS, maxFileBytes: text.length }).length).toBe(text.length);
    expect(inputError(() => decodeInputBytes('a.csv', text, { ...DEFAULT_INPUT_LIMITS, maxFileBytes: text.length - 1 })).message).toBe(
      'a.csv: its size (13 bytes) is over the limit of 12 bytes (set TRACKML_MAX_FILE_SIZE to raise it)',
    );
    expect(inputError(() => decodeInputBytes('a.csv', text, { ...DEFAULT_INPUT_LIMITS, maxLineBytes: 7 })).row).toBe(1);
    expect(decodeInputBytes('a.csv', text, { ...DEFAULT_INPUT_LIMITS, maxLineBytes: 8 }).length).toBe(text.length);
    const gz = gzipSync(Buffer.alloc(100_000, 'x'));
    expect(inputError(() => decodeInputBytes('big.gz', gz, { ...DEFAULT_INPUT_LIMITS, maxDataBytes: 99_999 })).message).toBe(
      'big.gz: its decompressed size is over the limit of 97.7 KiB (set TRACKML_MAX_DATA_SIZE to raise it)',
    );
    expect(inputError(() => decodeInputBytes('cut.gz', gz.subarray(0, gz.length - 8))).reason).toBe('truncated or corrupt gzip');
    expect(inputError(() => decodeInputBytes('none.gz', gzipSync(Buffer.alloc(0)))).reason).toBe('empty file (gzip holds no data)');
  });
});

describe('paths and limits', () => {
  it('a directory given as a file is named as such', () => {
    expect(inputError(() => readInputBytes(dir)).message).toBe(`${dir}: is a directory, expected a file`);
  });

  it('limits above what a Buffer holds are capped there; the line limit is not', () => {
    const huge = inputLimits({ TRACKML_MAX_FILE_SIZE: '999999G', TRACKML_MAX_DATA_SIZE: '999999G', TRACKML_MAX_LINE_LENGTH: '999999G' });
    expect(huge).toEqual({
      maxFileBytes: bufferConstants.MAX_LENGTH,
      maxDataBytes: bufferConstants.MAX_LENGTH,
      maxLineBytes: 999999 * 1024 * MiB,
    });
    expect(inputLimits({})).toEqual(DEFAULT_INPUT_LIMITS);
  });
});
