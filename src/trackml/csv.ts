// Byte-level CSV reader for TrackML files: fills typed arrays straight from the (gunzipped) Buffer, one pass,
// no per-line strings or per-row objects. Columns are declared by name and numeric kind; every user error is an
// InputError with the 1-based file line (header = line 1).
// Pure (no I/O, no Node builtins): the browser build parses dropped files with it; reading files is input-file.ts.
import { InputError } from '../core/errors.ts';
import { CR_ONLY_REASON, envInputLimits, formatByteSize, hasBareCr, INPUT_LIMIT_ENV } from './input-bytes.ts';

/** Numeric storage kinds. u64/i64 are exact 64-bit integers (BigUint64Array / BigInt64Array). */
export type ColumnKind = 'u8' | 'u16' | 'u32' | 'i8' | 'i32' | 'f32' | 'f64' | 'u64' | 'i64';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** May be absent from the header (e.g. particle_type); the column is then `undefined`. */
  optional?: boolean;
}

export type Column =
  Uint8Array | Uint16Array | Uint32Array | Int8Array | Int32Array | Float32Array | Float64Array | BigUint64Array | BigInt64Array;

export interface ParseOptions {
  /** The header must list the columns exactly in spec order (submissions). Otherwise any order is accepted. */
  exactHeader?: boolean;
  /** Longest line accepted, bytes without the line end (default: inputLimits().maxLineBytes). */
  maxLineBytes?: number;
  /** Columns a caller does not need (the scorer needs 3 of truth's 9): they must still be in the header and hold a
   * number-like token (digits, sign, point, exponent) on every row, but are not converted or stored (their entry in
   * `columns` is undefined). */
  skipColumns?: readonly string[];
}

export interface ParsedCsv {
  rowCount: number;
  /** One entry per spec, in spec order; `undefined` for an optional column the file lacks. */
  columns: (Column | undefined)[];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const CH_NL = 10;
const CH_CR = 13;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_PLUS = 43;
const CH_DOT = 46;
const CH_0 = 48;
const CH_E = 69;
const CH_e = 101;
const TWO_32 = 4294967296;
/** Largest finite float32. */
const F32_MAX = 3.4028234663852886e38;

// Exact powers of ten as doubles: with a mantissa below 2^53 and |exp| ≤ 22, one multiply or divide is
// correctly rounded (Clinger's fast path), so the result equals parseFloat's.
const POW10: number[] = [];
for (let i = 0; i <= 22; i++) POW10.push(Number(`1e${i}`));

const INT_RANGE: Record<string, [number, number]> = {
  u8: [0, 255],
  u16: [0, 65535],
  u32: [0, 4294967295],
  i8: [-128, 127],
  i32: [-2147483648, 2147483647],
};

const KIND_CODE: Record<ColumnKind, number> = { u8: 0, u16: 1, u32: 2, i8: 3, i32: 4, f32: 5, f64: 6, u64: 7, i64: 8 };
const K_U8 = 0;
const K_U16 = 1;
const K_U32 = 2;
const K_I8 = 3;
const K_F32 = 5;
const K_F64 = 6;
const K_U64 = 7;
const K_I64 = 8;
/** A column in `skipColumns`: scanned, not converted. */
const K_SKIP = 9;

function allocate(kind: ColumnKind, n: number): Column {
  switch (kind) {
    case 'u8':
      return new Uint8Array(n);
    case 'u16':
      return new Uint16Array(n);
    case 'u32':
      return new Uint32Array(n);
    case 'i8':
      return new Int8Array(n);
    case 'i32':
      return new Int32Array(n);
    case 'f32':
      return new Float32Array(n);
    case 'f64':
      return new Float64Array(n);
    case 'u64':
      return new BigUint64Array(n);
    case 'i64':
      return new BigInt64Array(n);
  }
}

/** Bytes [start, end) as Latin-1 text (headers, short fields in messages). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i += 8192) text += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192)));
  return text;
}

/** Text of the field starting at `pos` (up to the next comma or line end), for error messages. */
function fieldText(bytes: Uint8Array, pos: number): string {
  let end = pos;
  while (end < bytes.length && bytes[end] !== CH_COMMA && bytes[end] !== CH_NL && bytes[end] !== CH_CR) end++;
  const text = latin1(bytes, pos, end);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Whether a line holds characters no CSV text has: controls other than tab, DEL, and bytes above ASCII. */
function hasBinary(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c < 32 && c !== 9) || c >= 127) return true;
  }
  return false;
}

/** Number of comma-separated fields on the line that contains `pos`. */
function countFields(bytes: Uint8Array, lineStart: number): number {
  let n = 1;
  for (let i = lineStart; i < bytes.length && bytes[i] !== CH_NL; i++) if (bytes[i] === CH_COMMA) n++;
  return n;
}

/** Past a skipped field starting at `pos` and its delimiter (comma, or the line end after the last field): the field
 * must be a non-empty number-like token. Returns the position after the delimiter. */
function skipField(
  file: string,
  bytes: Uint8Array,
  pos: number,
  line: number,
  lineStart: number,
  last: boolean,
  nFields: number,
  name: string,
): number {
  const len = bytes.length;
  const start = pos;
  let c = pos < len ? bytes[pos] : -1;
  // Digits, '+', '-', '.', 'e', 'E'.
  while ((c >= CH_0 && c <= CH_0 + 9) || c === CH_MINUS || c === CH_PLUS || c === CH_DOT || c === CH_e || c === CH_E) {
    c = ++pos < len ? bytes[pos] : -1;
  }
  if (!(c === CH_COMMA || c === CH_NL || c === CH_CR || c === -1)) {
    throw new InputError(file, line, `column "${name}": "${fieldText(bytes, start)}" is not a number`);
  }
  if (last ? c === CH_COMMA : c !== CH_COMMA) {
    throw new InputError(file, line, `expected ${nFields} fields, found ${countFields(bytes, lineStart)}`);
  }
  if (pos === start) throw new InputError(file, line, `column "${name}": empty value`);
  pos++;
  if (last && c === CH_CR) {
    if (pos < len && bytes[pos] !== CH_NL) throw new InputError(file, line, 'stray carriage return');
    pos++;
  }
  return pos;
}

/**
 * Parses CSV bytes into typed columns. `file` only labels errors. Checks: header names (missing, unknown,
 * duplicated), field count per row, numeric syntax per column kind, integer ranges, blank lines inside the data.
 */
export function parseCsv(file: string, input: Uint8Array, specs: readonly ColumnSpec[], options: ParseOptions = {}): ParsedCsv {
  // A plain Uint8Array view whether we got a Buffer or not: one hidden class for every byte load below.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.length);
  const len = bytes.length;
  let pos = 0;
  // UTF-8 byte order mark, written by some spreadsheet tools.
  if (len >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;

  // ---- header
  let headerEnd = pos;
  while (headerEnd < len && bytes[headerEnd] !== CH_NL) headerEnd++;
  if (hasBareCr(bytes, pos, headerEnd)) throw new InputError(file, 1, CR_ONLY_REASON);
  const maxLine = options.maxLineBytes ?? envInputLimits(globalThis.process?.env ?? {}).maxLineBytes;
  const tooLong = (line: number) =>
    new InputError(
      file,
      line,
      `line longer than the limit of ${formatByteSize(maxLine)} (set ${INPUT_LIMIT_ENV.maxLineBytes} to raise it)`,
    );
  let headerText = latin1(bytes, pos, headerEnd);
  if (headerText.endsWith('\r')) headerText = headerText.slice(0, -1);
  if (headerText.length > maxLine) throw tooLong(1);
  if (headerText.trim() === '') throw new InputError(file, 1, 'empty header line');
  // Binary bytes (an image, an archive, zstd or bzip2 under a .gz name) would be echoed to the terminal as the header.
  const notGzip = /\.gz$/i.test(file) ? ' (its name ends in .gz, but it is not gzip-compressed)' : '';
  if (hasBinary(headerText)) throw new InputError(file, 1, `not CSV text: binary bytes on the header line${notGzip}`);
  const names = headerText.split(',');
  const expected = specs.map((s) => s.name).join(',');
  const describe = `expected header ${expected}, found ${headerText.length > 200 ? `${headerText.slice(0, 200)}…` : headerText}${notGzip}`;
  const specOfField: number[] = []; // file column → spec index
  const seen = new Set<string>();
  for (const name of names) {
    const idx = specs.findIndex((s) => s.name === name);
    if (idx < 0) throw new InputError(file, 1, `unexpected column "${name}"; ${describe}`);
    if (seen.has(name)) throw new InputError(file, 1, `duplicate column "${name}"; ${describe}`);
    seen.add(name);
    specOfField.push(idx);
  }
  for (const spec of specs) {
    if (!spec.optional && !seen.has(spec.name)) throw new InputError(file, 1, `missing column "${spec.name}"; ${describe}`);
  }
  if (options.exactHeader && headerText !== expected) throw new InputError(file, 1, `wrong header: ${describe}`);
  pos = headerEnd < len ? headerEnd + 1 : len;

  // ---- row count: lines after the header, not counting blank lines at the very end.
  let dataEnd = len;
  while (dataEnd > pos && (bytes[dataEnd - 1] === CH_NL || bytes[dataEnd - 1] === CH_CR)) dataEnd--;
  let rowCount = 0;
  if (dataEnd > pos) {
    rowCount = 1;
    // Node's Buffer.indexOf (memchr) is 2–4× faster than a typed array's; a browser has only the latter.
    const buf = typeof Buffer === 'undefined' ? bytes.subarray(0, dataEnd) : Buffer.from(bytes.buffer, bytes.byteOffset, dataEnd);
    let lineStart = pos;
    let at = buf.indexOf(CH_NL, pos);
    while (at >= 0) {
      // (A CR before the LF counts: one byte of slack, no extra load per line.)
      if (at - lineStart > maxLine + 1) throw tooLong(rowCount + 1);
      rowCount++;
      lineStart = at + 1;
      at = buf.indexOf(CH_NL, lineStart);
    }
    if (dataEnd - lineStart > maxLine + 1) throw tooLong(rowCount + 1);
  }

  const skip = new Set(options.skipColumns ?? []);
  const columns: (Column | undefined)[] = specs.map((s) =>
    seen.has(s.name) && !skip.has(s.name) ? allocate(s.kind, rowCount) : undefined,
  );
  const nFields = names.length;
  const fieldKind = specOfField.map((si) => (skip.has(specs[si].name) ? K_SKIP : KIND_CODE[specs[si].kind]));
  const fieldCol = specOfField.map((si) => columns[si] as Column);
  const fieldName = specOfField.map((si) => specs[si].name);
  const fieldMin = specOfField.map((si) => INT_RANGE[specs[si].kind]?.[0] ?? 0);
  const fieldMax = specOfField.map((si) => INT_RANGE[specs[si].kind]?.[1] ?? 0);
  // 64-bit columns are written as two 32-bit limbs through a Uint32Array view: no BigInt per value.
  const fieldLimbs = fieldCol.map((c) =>
    LITTLE_ENDIAN && (c instanceof BigUint64Array || c instanceof BigInt64Array) ? new Uint32Array(c.buffer) : undefined,
  );

  for (let row = 0; row < rowCount; row++) {
    const line = row + 2;
    const lineStart = pos;
    if (pos >= dataEnd || bytes[pos] === CH_NL || (bytes[pos] === CH_CR && bytes[pos + 1] === CH_NL)) {
      throw new InputError(file, line, 'empty line');
    }
    for (let f = 0; f < nFields; f++) {
      const kind = fieldKind[f];
      const start = pos;
      if (kind === K_SKIP) {
        pos = skipField(file, bytes, pos, line, lineStart, f === nFields - 1, nFields, fieldName[f]);
        continue;
      }
      let neg = false;
      let c = pos < len ? bytes[pos] : -1;
      if (c === CH_MINUS) {
        neg = true;
        c = ++pos < len ? bytes[pos] : -1;
      } else if (c === CH_PLUS) {
        c = ++pos < len ? bytes[pos] : -1;
      }
      // Mantissa digits accumulate in a double while exact (≤ 15 significant digits).
      let mant = 0;
      let sig = 0; // significant digits taken into mant
      let digits = 0; // all digits seen
      let exp10 = 0;
      let hi = 0; // 64-bit integers: high limb once mant would overflow 2^53
      let big = false;
      while (c >= CH_0 && c <= CH_0 + 9) {
        digits++;
        if (sig < 15) {
          mant = mant * 10 + (c - CH_0);
          if (mant !== 0) sig++;
        } else if (kind >= K_U64) {
          if (!big) {
            hi = Math.floor(mant / TWO_32);
            mant -= hi * TWO_32;
            big = true;
          }
          mant = mant * 10 + (c - CH_0);
          const carry = Math.floor(mant / TWO_32);
          mant -= carry * TWO_32;
          hi = hi * 10 + carry;
          if (hi >= TWO_32) hi = Infinity;
        } else {
          sig = 99; // too many digits for the fast path
        }
        c = ++pos < len ? bytes[pos] : -1;
      }
      let isInt = true;
      if (c === CH_DOT) {
        isInt = false;
        c = ++pos < len ? bytes[pos] : -1;
        while (c >= CH_0 && c <= CH_0 + 9) {
          digits++;
          if (sig < 15) {
            mant = mant * 10 + (c - CH_0);
            if (mant !== 0) sig++;
            exp10--;
          } else sig = 99;
          c = ++pos < len ? bytes[pos] : -1;
        }
      }
      if ((c === CH_e || c === CH_E) && digits > 0) {
        isInt = false;
        c = ++pos < len ? bytes[pos] : -1;
        let eneg = false;
        if (c === CH_MINUS || c === CH_PLUS) {
          eneg = c === CH_MINUS;
          c = ++pos < len ? bytes[pos] : -1;
        }
        let e = 0;
        let edigits = 0;
        while (c >= CH_0 && c <= CH_0 + 9) {
          if (e < 100000) e = e * 10 + (c - CH_0);
          edigits++;
          c = ++pos < len ? bytes[pos] : -1;
        }
        if (edigits === 0) digits = 0; // "1e" is not a number
        exp10 += eneg ? -e : e;
      }
      // The field must end exactly here: comma between fields, line end after the last.
      const last = f === nFields - 1;
      if (digits === 0 || !(c === CH_COMMA || c === CH_NL || c === CH_CR || c === -1)) {
        // An empty non-last field at the line end means the row is short ("1,2,\n" for 4 columns).
        if (digits === 0 && (c === CH_NL || c === -1 || c === CH_CR) && pos === start && !last) {
          throw new InputError(file, line, `expected ${nFields} fields, found ${countFields(bytes, lineStart)}`);
        }
        const text = fieldText(bytes, start);
        throw new InputError(
          file,
          line,
          text === '' ? `column "${fieldName[f]}": empty value` : `column "${fieldName[f]}": "${text}" is not a number`,
        );
      }
      if (last ? c === CH_COMMA : c !== CH_COMMA) {
        throw new InputError(file, line, `expected ${nFields} fields, found ${countFields(bytes, lineStart)}`);
      }

      if (kind >= K_U64) {
        if (!isInt) {
          throw new InputError(file, line, `column "${fieldName[f]}": "${fieldText(bytes, start)}" is not an integer`);
        }
        if (!big) {
          hi = Math.floor(mant / TWO_32);
          mant -= hi * TWO_32;
        }
        let lo = mant;
        if (kind === K_U64) {
          if (hi >= TWO_32 || (neg && (hi !== 0 || lo !== 0))) {
            throw new InputError(
              file,
              line,
              `column "${fieldName[f]}": ${fieldText(bytes, start)} is out of range for an unsigned 64-bit id`,
            );
          }
        } else {
          // |value| ≤ 2^63 when negative, < 2^63 when positive; then two's complement for negatives.
          if (hi > 0x80000000 || (hi === 0x80000000 && (!neg || lo !== 0)) || hi === Infinity) {
            throw new InputError(
              file,
              line,
              `column "${fieldName[f]}": ${fieldText(bytes, start)} is out of range for a signed 64-bit integer`,
            );
          }
          if (neg && (hi !== 0 || lo !== 0)) {
            lo = TWO_32 - lo;
            hi = lo === TWO_32 ? (TWO_32 - hi) % TWO_32 : TWO_32 - 1 - hi;
            if (lo === TWO_32) lo = 0;
          }
        }
        const limbs = fieldLimbs[f];
        if (limbs !== undefined) {
          limbs[2 * row] = lo;
          limbs[2 * row + 1] = hi;
        } else if (kind === K_U64) {
          (fieldCol[f] as BigUint64Array)[row] = (BigInt(hi) << 32n) | BigInt(lo);
        } else {
          (fieldCol[f] as BigInt64Array)[row] = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
        }
      } else if (kind >= K_F32) {
        let v: number;
        if (sig <= 15 && exp10 >= -22 && exp10 <= 22) {
          v = exp10 < 0 ? mant / POW10[-exp10] : exp10 > 0 ? mant * POW10[exp10] : mant;
          if (neg) v = -v;
        } else {
          // Rare: long mantissas or big exponents go through the engine's correctly rounded parser.
          v = Number(latin1(bytes, start, pos));
        }
        // A float32 column stores anything past ±3.4e38 as ±Infinity: refused here, not read as Infinity.
        if (!Number.isFinite(v) || (kind === K_F32 && Math.abs(v) > F32_MAX)) {
          const range = kind === K_F32 ? ' for a 32-bit float (|v| ≤ 3.4e38)' : '';
          throw new InputError(file, line, `column "${fieldName[f]}": "${fieldText(bytes, start)}" is out of range${range}`);
        }
        // One store site per array type keeps each site monomorphic (a shared site over mixed typed arrays is
        // megamorphic and several times slower). Float32Array stores round the double once, like numpy's astype.
        if (kind === K_F32) (fieldCol[f] as Float32Array)[row] = v;
        else (fieldCol[f] as Float64Array)[row] = v;
      } else {
        if (!isInt) {
          throw new InputError(file, line, `column "${fieldName[f]}": "${fieldText(bytes, start)}" is not an integer`);
        }
        const v = neg ? -mant : mant;
        if (sig > 15 || v < fieldMin[f] || v > fieldMax[f]) {
          throw new InputError(
            file,
            line,
            `column "${fieldName[f]}": ${fieldText(bytes, start)} is out of range (${fieldMin[f]}..${fieldMax[f]})`,
          );
        }
        switch (kind) {
          case K_U8:
            (fieldCol[f] as Uint8Array)[row] = v;
            break;
          case K_U16:
            (fieldCol[f] as Uint16Array)[row] = v;
            break;
          case K_U32:
            (fieldCol[f] as Uint32Array)[row] = v;
            break;
          case K_I8:
            (fieldCol[f] as Int8Array)[row] = v;
            break;
          default:
            (fieldCol[f] as Int32Array)[row] = v;
        }
      }
      pos++; // past the comma or the \n (or \r, handled below)
      if (last && c === CH_CR) {
        if (pos < len && bytes[pos] !== CH_NL) throw new InputError(file, line, 'stray carriage return');
        pos++;
      }
    }
  }
  return { rowCount, columns };
}
