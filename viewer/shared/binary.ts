// The wire format between the viewer's server and page: named typed arrays in one buffer behind a small JSON
// header, so the page maps columns straight onto GPU buffers and never parses CSV or JSON-of-objects.
// Layout: "TMLV" | u32 header bytes (LE) | header JSON (UTF-8) | pad to 8 | array bytes, each 8-aligned.

export type ArrayKind = 'f32' | 'f64' | 'u8' | 'i8' | 'u16' | 'u32' | 'i32' | 'u64' | 'i64';

export type TypedColumn =
  Float32Array | Float64Array | Uint8Array | Int8Array | Uint16Array | Uint32Array | Int32Array | BigUint64Array | BigInt64Array;

interface ColumnEntry {
  name: string;
  kind: ArrayKind;
  offset: number;
  length: number;
}

export interface PackHeader {
  meta: Record<string, unknown>;
  columns: ColumnEntry[];
}

const MAGIC = 0x564c4d54; // "TMLV" little-endian

function kindOf(a: TypedColumn): ArrayKind {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Int8Array) return 'i8';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof BigUint64Array) return 'u64';
  return 'i64';
}

const CTORS = {
  f32: Float32Array,
  f64: Float64Array,
  u8: Uint8Array,
  i8: Int8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  i32: Int32Array,
  u64: BigUint64Array,
  i64: BigInt64Array,
} as const;

const align8 = (n: number): number => (n + 7) & ~7;

/** Packs named columns and a small metadata object into one buffer. */
export function packColumns(meta: Record<string, unknown>, columns: Record<string, TypedColumn>): Uint8Array {
  const entries: ColumnEntry[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(columns)) {
    entries.push({ name, kind: kindOf(a), offset, length: a.length });
    offset = align8(offset + a.byteLength);
  }
  const headerBytes = new TextEncoder().encode(JSON.stringify({ meta, columns: entries } satisfies PackHeader));
  const dataStart = align8(8 + headerBytes.length);
  const out = new Uint8Array(dataStart + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  Object.values(columns).forEach((a, i) => {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), dataStart + entries[i].offset);
  });
  return out;
}

export interface Unpacked {
  meta: Record<string, unknown>;
  columns: Record<string, TypedColumn>;
}

/** Views (no copy) of the columns in a packed buffer. Throws on a buffer that is not one. */
export function unpackColumns(buffer: ArrayBuffer): Unpacked {
  const view = new DataView(buffer);
  if (buffer.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('not a viewer column pack');
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength))) as PackHeader;
  const dataStart = align8(8 + headerLength);
  const columns: Record<string, TypedColumn> = {};
  for (const c of header.columns) columns[c.name] = new CTORS[c.kind](buffer, dataStart + c.offset, c.length);
  return { meta: header.meta, columns };
}
