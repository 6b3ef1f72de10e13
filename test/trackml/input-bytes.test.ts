// The pure input rules shared by the Node reader and the web page (src/trackml/input-bytes.ts): gzip recognised by
// its magic, empty inputs refused by name, byte sizes as users write them ("512M", "1.5 GiB") and as messages print
// them, exactly at each unit's boundary, limits from the environment, and bare-CR line ends within a byte range.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import {
  checkInflatedInput,
  checkRawInput,
  DEFAULT_INPUT_LIMITS,
  envInputLimits,
  formatByteSize,
  hasBareCr,
  isGzip,
  MIB,
  parseByteSize,
} from '../../src/trackml/input-bytes.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('gzip magic and empty inputs', () => {
  it('gzip is the two bytes 0x1f 0x8b, both, at the start', () => {
    expect(isGzip(bytes(0x1f, 0x8b))).toBe(true);
    expect(isGzip(bytes(0x1f, 0x8b, 8, 0))).toBe(true);
    expect(isGzip(bytes(0x1f))).toBe(false);
    expect(isGzip(bytes())).toBe(false);
    expect(isGzip(bytes(0x1f, 0x8c))).toBe(false);
    expect(isGzip(bytes(0x1e, 0x8b))).toBe(false);
    expect(isGzip(bytes(0x00, 0x8b))).toBe(false);
    expect(isGzip(text('hit_id,x'))).toBe(false);
  });

  it('an empty file, or a gzip holding nothing, is a user error naming the file', () => {
    expect(() => checkRawInput('a.csv', bytes(10))).not.toThrow();
    expect(() => checkInflatedInput('a.csv.gz', bytes(10))).not.toThrow();
    const raw = (() => {
      try {
        checkRawInput('a.csv', bytes());
      } catch (e) {
        return e;
      }
    })();
    expect(raw).toBeInstanceOf(InputError);
    expect((raw as InputError).message).toBe('a.csv: empty file');
    expect(() => checkInflatedInput('b.csv.gz', bytes())).toThrow(new InputError('b.csv.gz', undefined, 'empty file (gzip holds no data)'));
    expect(() => checkInflatedInput('b.csv.gz', bytes())).toThrow(InputError);
  });
});

describe('byte sizes', () => {
  it('reads counts with K / M / G (powers of 1024), any case, optional B or iB and spaces', () => {
    expect(parseByteSize('65536')).toBe(65536);
    expect(parseByteSize('1')).toBe(1);
    expect(parseByteSize('512M')).toBe(512 * MIB);
    expect(parseByteSize('512MB')).toBe(512 * MIB);
    expect(parseByteSize(' 512 MiB ')).toBe(512 * MIB);
    expect(parseByteSize('2g')).toBe(2 * 1024 * MIB);
    expect(parseByteSize('16kib')).toBe(16 * 1024);
    expect(parseByteSize('1.25K')).toBe(1280);
    expect(parseByteSize('100b')).toBe(100);
  });

  it('refuses what is not a positive size', () => {
    for (const bad of ['', '0', '0.5', '-5', 'x12', '12x', '12 x', '12 MB!', 'M', '1.5.5', '12Q', '1.K', '1e3']) {
      expect(parseByteSize(bad), bad).toBeUndefined();
    }
  });

  it('prints bytes, then KiB / MiB / GiB from exactly one of the unit', () => {
    expect(formatByteSize(0)).toBe('0 bytes');
    expect(formatByteSize(1023)).toBe('1023 bytes');
    expect(formatByteSize(1024)).toBe('1 KiB');
    expect(formatByteSize(1536)).toBe('1.5 KiB');
    expect(formatByteSize(MIB - 1)).toBe('1024 KiB');
    expect(formatByteSize(MIB)).toBe('1 MiB');
    expect(formatByteSize(256 * MIB)).toBe('256 MiB');
    expect(formatByteSize(1024 * MIB - 1)).toBe('1024 MiB');
    expect(formatByteSize(1024 * MIB)).toBe('1 GiB');
    expect(formatByteSize(3 * 1024 * MIB + 512 * MIB)).toBe('3.5 GiB');
  });
});

describe('limits from the environment', () => {
  it('defaults; each variable overrides its limit; an empty variable counts as unset', () => {
    expect(envInputLimits({})).toEqual(DEFAULT_INPUT_LIMITS);
    expect(envInputLimits({ TRACKML_MAX_FILE_SIZE: '', TRACKML_MAX_DATA_SIZE: '', TRACKML_MAX_LINE_LENGTH: '' })).toEqual(
      DEFAULT_INPUT_LIMITS,
    );
    expect(envInputLimits({ TRACKML_MAX_LINE_LENGTH: '1K' })).toEqual({ ...DEFAULT_INPUT_LIMITS, maxLineBytes: 1024 });
  });

  it('a malformed value is a user error naming the variable and the text', () => {
    expect(() => envInputLimits({ TRACKML_MAX_DATA_SIZE: 'lots' })).toThrow(
      new InputError(undefined, undefined, 'TRACKML_MAX_DATA_SIZE="lots" is not a size (e.g. 512M, 2G, 65536)'),
    );
  });
});

describe('bare CR line ends', () => {
  it('a CR not followed by LF, inside [from, to) only', () => {
    const b = text('ab\rcd\r\nef');
    expect(hasBareCr(b, 0, b.length)).toBe(true);
    expect(hasBareCr(b, 0, 2)).toBe(false); // the CR at 2 is just outside
    expect(hasBareCr(b, 0, 3)).toBe(true);
    expect(hasBareCr(b, 3, b.length)).toBe(false); // CRLF only
    expect(hasBareCr(b, 5, 6)).toBe(false);
  });

  it('a CR as the very last byte is not judged (what follows is unknown)', () => {
    const b = text('hit_id,x\r');
    expect(hasBareCr(b, 0, b.length)).toBe(false);
    expect(hasBareCr(text('a\r\r'), 0, 3)).toBe(true);
  });
});
