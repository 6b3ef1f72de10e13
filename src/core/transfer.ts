// The ArrayBuffers a message to or from a worker thread can hand over instead of copying (postMessage's transfer
// list): a 100 k-hit event with its 300 k-edge graph is ~50 MB of typed arrays, which structured cloning copies on
// the sending thread and again on the receiving one. Only buffers that the message's typed arrays cover whole are
// handed over: a view into a larger buffer (Node's pooled Buffers, a slice of a decoded file) may share it with
// data the sender keeps, and a transferred buffer is gone from the sender.

/** The whole-covered, transferable ArrayBuffers under `value` (plain objects and arrays, walked to `maxDepth`). */
export function transferables(value: unknown, maxDepth = 4): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const partial = new Set<ArrayBufferLike>();
  const walk = (v: unknown, depth: number) => {
    if (v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      const buf = v.buffer;
      if (!(buf instanceof ArrayBuffer) || Buffer.isBuffer(v) || v.byteOffset !== 0 || v.byteLength !== buf.byteLength) partial.add(buf);
      else found.add(buf);
      return;
    }
    if (depth >= maxDepth) return;
    for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x, depth + 1);
  };
  walk(value, 0);
  return [...found].filter((b) => !partial.has(b) && b.byteLength > 0);
}
