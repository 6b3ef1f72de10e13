// torch.save's file format written from TypeScript, for PyTorch Geometric `Data` objects (what acorn stages load
// with torch.load): a ZIP archive, stored uncompressed with every record 64-byte aligned as torch writes it, of
// `archive/data.pkl` (a protocol-2 pickle whose tensors point at storages by persistent id), `archive/byteorder`,
// `archive/data/<key>` (each storage's raw little-endian bytes) and `archive/version`. The pickle rebuilds tensors
// with torch._utils._rebuild_tensor_v2 and the Data object as PyG 2 pickles it: Data.__new__ + __setstate__ of
// {'_store': GlobalStorage with {'_mapping': {...}, '_parent': the Data}}.
import { crc32 } from 'node:zlib';

/** A tensor to save: a typed array, its shape (row-major, contiguous) and torch dtype. */
export interface TensorSpec {
  kind: 'tensor';
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: 'float32' | 'float64' | 'int64' | 'int32' | 'uint8' | 'bool';
}

export type PickleValue = TensorSpec | string | number | boolean | null | PickleValue[] | { [k: string]: PickleValue };

const STORAGE: Record<TensorSpec['dtype'], string> = {
  float32: 'FloatStorage',
  float64: 'DoubleStorage',
  int64: 'LongStorage',
  int32: 'IntStorage',
  uint8: 'ByteStorage',
  bool: 'BoolStorage',
};

export function tensor(data: TensorSpec['data'], shape: number[], dtype: TensorSpec['dtype']): TensorSpec {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new Error(`tensor: ${data.length} values for shape [${shape}]`);
  return { kind: 'tensor', data, shape, dtype };
}

const isTensor = (v: PickleValue): v is TensorSpec =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as TensorSpec).kind === 'tensor';

/** Protocol-2 pickle writer with the few opcodes a PyG Data object needs. */
class Pickler {
  private chunks: number[] = [];
  readonly storages: Uint8Array[] = [];

  private byte(...b: number[]): void {
    for (const x of b) this.chunks.push(x);
  }
  private u32(n: number): void {
    this.byte(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255);
  }
  private ascii(s: string): void {
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
  }
  global(module: string, name: string): void {
    this.byte(0x63); // GLOBAL
    this.ascii(`${module}\n${name}\n`);
  }
  str(s: string): void {
    const b = new TextEncoder().encode(s);
    this.byte(0x58); // BINUNICODE
    this.u32(b.length);
    for (const x of b) this.byte(x);
  }
  int(n: number): void {
    if (!Number.isSafeInteger(n)) throw new Error(`pickle: not an integer: ${n}`);
    if (n >= 0 && n < 256)
      this.byte(0x4b, n); // BININT1
    else if (n >= -(2 ** 31) && n < 2 ** 31)
      (this.byte(0x4a), this.u32(n >>> 0)); // BININT
    else {
      // LONG1: little-endian two's complement.
      let v = BigInt(n);
      const bytes: number[] = [];
      do {
        bytes.push(Number(v & 255n));
        v >>= 8n;
      } while (!(v === 0n && (bytes[bytes.length - 1] & 0x80) === 0) && !(v === -1n && (bytes[bytes.length - 1] & 0x80) !== 0));
      this.byte(0x8a, bytes.length, ...bytes);
    }
  }
  float(x: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x, false);
    this.byte(0x47, ...b); // BINFLOAT (big-endian)
  }
  tuple(items: (() => void)[]): void {
    if (items.length === 0) return this.byte(0x29); // EMPTY_TUPLE
    if (items.length <= 3) {
      for (const f of items) f();
      return this.byte([0x85, 0x86, 0x87][items.length - 1]); // TUPLE1..3
    }
    this.byte(0x28); // MARK
    for (const f of items) f();
    this.byte(0x74); // TUPLE
  }
  dict(entries: [string, () => void][]): void {
    this.byte(0x7d); // EMPTY_DICT
    if (entries.length === 0) return;
    this.byte(0x28); // MARK
    for (const [k, f] of entries) (this.str(k), f());
    this.byte(0x75); // SETITEMS
  }
  put(i: number): void {
    this.byte(0x72); // LONG_BINPUT
    this.u32(i);
  }
  get(i: number): void {
    this.byte(0x6a); // LONG_BINGET
    this.u32(i);
  }
  /** torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict()). */
  tensor(t: TensorSpec): void {
    const key = String(this.storages.length);
    this.storages.push(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice());
    const stride = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    this.global('torch._utils', '_rebuild_tensor_v2');
    this.tuple([
      () => {
        this.tuple([
          () => this.str('storage'),
          () => this.global('torch', STORAGE[t.dtype]),
          () => this.str(key),
          () => this.str('cpu'),
          () => this.int(t.data.length),
        ]);
        this.byte(0x51); // BINPERSID
      },
      () => this.int(0),
      () => this.tuple(t.shape.map((d) => () => this.int(d))),
      () => this.tuple(stride.map((d) => () => this.int(d))),
      () => this.byte(0x89), // NEWFALSE: requires_grad
      () => {
        this.global('collections', 'OrderedDict');
        this.byte(0x29, 0x52); // EMPTY_TUPLE, REDUCE
      },
    ]);
    this.byte(0x52); // REDUCE
  }
  value(v: PickleValue): void {
    if (v === null) return this.byte(0x4e); // NONE
    if (typeof v === 'boolean') return this.byte(v ? 0x88 : 0x89);
    if (typeof v === 'string') return this.str(v);
    if (typeof v === 'number') return Number.isInteger(v) ? this.int(v) : this.float(v);
    if (isTensor(v)) return this.tensor(v);
    if (Array.isArray(v)) {
      this.byte(0x5d); // EMPTY_LIST
      if (v.length === 0) return;
      this.byte(0x28);
      for (const x of v) this.value(x);
      return this.byte(0x65); // APPENDS
    }
    this.dict(Object.entries(v).map(([k, x]) => [k, () => this.value(x)]));
  }
  /** A PyG Data object holding `fields`. */
  pygData(fields: Record<string, PickleValue>): Uint8Array {
    this.byte(0x80, 2); // PROTO 2
    this.global('torch_geometric.data.data', 'Data');
    this.byte(0x29, 0x81); // EMPTY_TUPLE, NEWOBJ
    this.put(0);
    this.dict([
      [
        '_store',
        () => {
          this.global('torch_geometric.data.storage', 'GlobalStorage');
          this.byte(0x29, 0x81);
          this.dict([
            ['_mapping', () => this.value(fields)],
            ['_parent', () => this.get(0)],
          ]);
          this.byte(0x62); // BUILD
        },
      ],
    ]);
    this.byte(0x62, 0x2e); // BUILD, STOP
    return Uint8Array.from(this.chunks);
  }
}

/** Stored (uncompressed) ZIP with every record's data 64-byte aligned, as torch.save writes. */
function zipStored(entries: { name: string; data: Uint8Array }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const crc = crc32(e.data) >>> 0;
    // Extra field "FB" of padding so the data starts on a 64-byte boundary.
    const pad = (64 - ((offset + 30 + name.length + 4) % 64)) % 64;
    const extra = new Uint8Array(4 + pad);
    new DataView(extra.buffer).setUint16(0, 0x4246, true);
    new DataView(extra.buffer).setUint16(2, pad, true);
    const local = new Uint8Array(30 + name.length + extra.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true); // version needed
    lv.setUint16(6, 0, true); // flags
    lv.setUint16(8, 0, true); // stored
    lv.setUint32(14, crc, true);
    lv.setUint32(18, e.data.length, true);
    lv.setUint32(22, e.data.length, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, extra.length, true);
    local.set(name, 30);
    local.set(extra, 30 + name.length);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, e.data.length, true);
    cv.setUint32(24, e.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, e.data);
    central.push(cd);
    offset += local.length + e.data.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of all) (out.set(p, o), (o += p.length));
  return out;
}

/** The bytes of `torch.save(Data(**fields), f)`; `archiveName` is the archive's top folder (torch uses the file's
 * stem, any name loads). */
export function torchSavePygData(fields: Record<string, PickleValue>, archiveName = 'archive'): Uint8Array {
  const p = new Pickler();
  const pkl = p.pygData(fields);
  const entries = [
    { name: `${archiveName}/data.pkl`, data: pkl },
    { name: `${archiveName}/byteorder`, data: new TextEncoder().encode('little') },
    ...p.storages.map((data, k) => ({ name: `${archiveName}/data/${k}`, data })),
    { name: `${archiveName}/version`, data: new TextEncoder().encode('3\n') },
  ];
  return zipStored(entries);
}
