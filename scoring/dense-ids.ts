// Maps 64-bit ids (particle ids, track ids) to dense int32 indices with an open-addressing hash table over the
// raw 32-bit words, so hot loops never build a BigInt or a string key.

/** True on little-endian hosts, where word 2i of a 64-bit array is the low half of element i. */
const LITTLE_ENDIAN = new Uint32Array(new BigUint64Array([1n]).buffer)[0] === 1;

/** Dense groups of equal 64-bit values: row i belongs to group `groupOfRow[i]`, groups numbered by first
 * appearance; `firstRow[g]` is a row holding group g's value. */
export interface IdGroups {
  groupOfRow: Int32Array;
  firstRow: Int32Array;
  groups: number;
}

function tableSize(n: number): number {
  let cap = 16;
  while (cap < 2 * n) cap *= 2;
  return cap;
}

/** 32-bit mix of a (lo, hi) pair (murmur3 finaliser); only needs to spread sequential and bit-packed ids. */
function mix(lo: number, hi: number): number {
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 13;
  return h;
}

/** Groups equal values of a 64-bit id column. Signedness does not matter: equality is on the raw bits. */
export function groupIds64(ids: BigUint64Array | BigInt64Array): IdGroups {
  const n = ids.length;
  const words = new Uint32Array(ids.buffer, ids.byteOffset, n * 2);
  const cap = tableSize(n);
  const mask = cap - 1;
  const slots = new Int32Array(cap).fill(-1);
  const groupOfRow = new Int32Array(n);
  const firstRow = new Int32Array(n);
  let groups = 0;
  for (let i = 0; i < n; i++) {
    const a = words[2 * i];
    const b = words[2 * i + 1];
    let s = mix(a, b) & mask;
    for (;;) {
      const g = slots[s];
      if (g < 0) {
        slots[s] = groups;
        firstRow[groups] = i;
        groupOfRow[i] = groups++;
        break;
      }
      const r = firstRow[g];
      if (words[2 * r] === a && words[2 * r + 1] === b) {
        groupOfRow[i] = g;
        break;
      }
      // Stryker disable next-line ArithmeticOperator: probing backwards (s − 1) visits the same slots in another order
      s = (s + 1) & mask;
    }
  }
  return { groupOfRow, firstRow: firstRow.subarray(0, groups), groups };
}

/** Rank of each group in ascending unsigned numeric order of its value (rank 0 = smallest id). */
export function rankGroupsUnsigned(ids: BigUint64Array, groups: IdGroups): Int32Array {
  const words = new Uint32Array(ids.buffer, ids.byteOffset, ids.length * 2);
  const loOff = LITTLE_ENDIAN ? 0 : 1;
  const g = groups.groups;
  const hiOf = new Float64Array(g);
  const loOf = new Float64Array(g);
  for (let k = 0; k < g; k++) {
    const r = groups.firstRow[k];
    loOf[k] = words[2 * r + loOff];
    hiOf[k] = words[2 * r + 1 - loOff];
  }
  const order = new Int32Array(g);
  for (let k = 0; k < g; k++) order[k] = k;
  // Comparing the unsigned halves keeps ids above 2^53 exact (as JS numbers 2^60+1 and 2^60+2 are equal).
  order.sort((x, y) => hiOf[x] - hiOf[y] || loOf[x] - loOf[y]);
  const rank = new Int32Array(g);
  for (let k = 0; k < g; k++) rank[order[k]] = k;
  return rank;
}
