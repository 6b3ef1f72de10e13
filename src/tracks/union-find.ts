// Disjoint sets over node rows (typed arrays, path halving, union by size) and connected components of the edges
// that pass a mask: the baseline way from scored edges to tracks.

export class UnionFind {
  readonly parent: Int32Array;
  readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  /** Root of i's set; halves the path on the way so later finds are near O(1). */
  find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]];
      i = p[i];
    }
    return i;
  }

  /** Joins the sets of a and b (the smaller under the larger); returns false when they were already one. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    return true;
  }

  /** Dense component label per element, 0.. in order of each component's first element. */
  labels(): { label: Int32Array; count: number } {
    const n = this.parent.length;
    const labelOfRoot = new Int32Array(n).fill(-1);
    const label = new Int32Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      if (labelOfRoot[r] < 0) labelOfRoot[r] = count++;
      label[i] = labelOfRoot[r];
    }
    return { label, count };
  }
}

/** Connected components of the nodes 0..nNodes−1 joined by the edges with keep[e] = 1 (all edges when keep is
 * omitted). Returns a dense label per node (isolated nodes get their own). */
export function connectedComponents(
  nNodes: number,
  src: Uint32Array,
  dst: Uint32Array,
  keep?: Uint8Array,
): { label: Int32Array; count: number } {
  const uf = new UnionFind(nNodes);
  for (let e = 0; e < src.length; e++) if (keep === undefined || keep[e] === 1) uf.union(src[e], dst[e]);
  return uf.labels();
}
