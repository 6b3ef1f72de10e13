// Stable sorts of indices by a float64 key for the track builder's ~10⁵-element orders (seeds by quality, overlap
// pairs by distance, hits by azimuth): LSD radix sort on the key's bits, O(n), no comparator calls.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const count = new Int32Array(65536 + 1);
let bits = new Uint32Array(0);

/** Indices 0..n−1 ordered by keys[i] ascending, ties by index (−0 before +0; no NaN). */
export function sortByKey(keys: Float64Array, n: number): Int32Array {
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!LITTLE_ENDIAN) return order.sort((i, j) => keys[i] - keys[j] || i - j);
  // The IEEE bits as an unsigned integer that orders as the number does: negative numbers with every bit flipped,
  // others with the sign bit set.
  if (bits.length < 2 * n) bits = new Uint32Array(2 * n);
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i],
      hi = words[2 * i + 1];
    const negative = hi >>> 31 === 1;
    bits[2 * i] = negative ? ~lo >>> 0 : lo;
    bits[2 * i + 1] = negative ? ~hi >>> 0 : (hi | 0x80000000) >>> 0;
  }
  let next = new Int32Array(n);
  // Digits: low and high 16 bits of the low word, then of the high word.
  for (let pass = 0; pass < 4; pass++) {
    const w = pass >> 1;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((bits[2 * i + w] >>> shift) & 0xffff) + 1]++;
    if (n === 0 || count[((bits[w] >>> shift) & 0xffff) + 1] === n) continue; // one digit value: order unchanged
    for (let d = 0; d < 65536; d++) count[d + 1] += count[d];
    for (let k = 0; k < n; k++) {
      const i = order[k];
      next[count[(bits[2 * i + w] >>> shift) & 0xffff]++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}
