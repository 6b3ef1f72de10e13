// A minimal protobuf writer for the ONNX messages the exporter needs (ModelProto, GraphProto, NodeProto,
// TensorProto, ValueInfoProto, AttributeProto; field numbers from onnx/onnx.proto). Hand-written rather than
// protobufjs + onnx-proto: ~100 lines, no dependency, and a deterministic byte layout (fields in a fixed order),
// so the same weights always give the same file.

/** Protobuf writer: varints, 32-bit floats, length-delimited fields. */
class Writer {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, m: Writer): this {
    return this.bytes(field, m.finish());
  }

  /** Repeated int64 as proto2 writes it (one tag per element, not packed). */
  ints(field: number, values: readonly number[]): this {
    for (const v of values) this.int(field, v);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

/** TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

export interface OnnxTensor {
  name: string;
  dataType: typeof ONNX_FLOAT | typeof ONNX_INT64;
  dims: number[];
  /** Little-endian element bytes (raw_data). */
  raw: Uint8Array;
}

export type OnnxAttribute = { name: string } & ({ i: number } | { f: number } | { s: string } | { ints: number[] } | { t: OnnxTensor });

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes?: OnnxAttribute[];
}

export interface OnnxValueInfo {
  name: string;
  dataType: number;
  /** A number is a fixed size, a string a named dynamic dimension. */
  shape: (number | string)[];
  doc?: string;
}

export interface OnnxModel {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  doc: string;
  graphName: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  metadata: [string, string][];
}

function tensorProto(t: OnnxTensor): Writer {
  const w = new Writer();
  w.ints(1, t.dims).int(2, t.dataType).string(8, t.name).bytes(9, t.raw);
  return w;
}

function attributeProto(a: OnnxAttribute): Writer {
  const w = new Writer().string(1, a.name);
  // AttributeProto.type: FLOAT 1, INT 2, STRING 3, TENSOR 4, INTS 7.
  if ('f' in a) w.float(2, a.f).int(20, 1);
  else if ('s' in a) w.string(4, a.s).int(20, 3);
  else if ('i' in a) w.int(3, a.i).int(20, 2);
  else if ('t' in a) w.message(5, tensorProto(a.t)).int(20, 4);
  else w.ints(8, a.ints).int(20, 7);
  return w;
}

function valueInfoProto(v: OnnxValueInfo): Writer {
  const shape = new Writer();
  for (const d of v.shape) shape.message(1, typeof d === 'number' ? new Writer().int(1, d) : new Writer().string(2, d));
  const tensorType = new Writer().int(1, v.dataType).message(2, shape);
  const w = new Writer().string(1, v.name).message(2, new Writer().message(1, tensorType));
  if (v.doc) w.string(3, v.doc);
  return w;
}

/** The serialised ModelProto. */
export function encodeOnnxModel(m: OnnxModel): Uint8Array {
  const graph = new Writer();
  for (const n of m.nodes) {
    const node = new Writer();
    for (const i of n.inputs) node.string(1, i);
    for (const o of n.outputs) node.string(2, o);
    node.string(3, n.name).string(4, n.op);
    for (const a of n.attributes ?? []) node.message(5, attributeProto(a));
    graph.message(1, node);
  }
  graph.string(2, m.graphName);
  for (const t of m.initializers) graph.message(5, tensorProto(t));
  for (const v of m.inputs) graph.message(11, valueInfoProto(v));
  for (const v of m.outputs) graph.message(12, valueInfoProto(v));
  const model = new Writer()
    .int(1, m.irVersion)
    .string(2, m.producerName)
    .string(3, m.producerVersion)
    .string(6, m.doc)
    .message(7, graph)
    .message(8, new Writer().string(1, '').int(2, m.opset));
  for (const [key, value] of m.metadata) model.message(14, new Writer().string(1, key).string(2, value));
  return model.finish();
}
