// Stable sort of indices by a non-negative float64 key (LSD radix sort on the key's bits: for x ≥ 0 the IEEE bit
// pattern orders as the number does), for the ~10⁵ seeds and overlap pairs of an event: O(n), no comparator calls.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const count = new Int32Array(65536 + 1);

/** Indices 0..n−1 ordered by keys[i] ascending, ties by index (keys ≥ 0 or +∞, no NaN). */
export function sortByKey(keys: Float64Array, n: number): Int32Array {
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!LITTLE_ENDIAN) return order.sort((i, j) => keys[i] - keys[j] || i - j);
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  let next = new Int32Array(n);
  // Digits: low and high 16 bits of the low word, then of the high word.
  for (let pass = 0; pass < 4; pass++) {
    const w = pass >> 1;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((words[2 * i + w] >>> shift) & 0xffff) + 1]++;
    if (count[((words[w] >>> shift) & 0xffff) + 1] === n) continue; // one digit value: order unchanged
    for (let d = 0; d < 65536; d++) count[d + 1] += count[d];
    for (let k = 0; k < n; k++) {
      const i = order[k];
      next[count[(words[2 * i + w] >>> shift) & 0xffff]++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}
