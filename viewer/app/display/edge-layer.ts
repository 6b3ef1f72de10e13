// The GNN's graph: edges as one LineSegments (vertex 2k, 2k+1 = edge k, edges in descending score order) and, in
// the truth colouring, the true edges below the threshold (missed, FN) as one more. A threshold change moves draw
// ranges; index buffers are written only while cuts are on.
import * as THREE from 'three';
import { EDGE_FN } from '../colors.ts';
import { countAtOrAbove } from '../tracks.ts';
import type { GraphData } from '../event-data.ts';

export class EdgeLayer {
  readonly lines: THREE.LineSegments;
  readonly fnLines: THREE.LineSegments;
  geometry = new THREE.BufferGeometry();
  private fnGeometry = new THREE.BufferGeometry();
  private index = new Uint32Array(0);
  private fnIndex = new Uint32Array(0);
  /** True edges (edge numbers, in score order); empty until the truth colouring is first used. */
  trueEdge = new Uint32Array(0);
  /** Edges with score ≥ threshold, and true ones among them. */
  above = 0;
  trueAbove = 0;
  graph: GraphData | undefined;

  constructor() {
    // Drawn last and over everything (no depth test): the GNN's edges are what the viewer is for, and the tracks
    // that run through the same pixel layers would otherwise hide them.
    this.lines = new THREE.LineSegments(this.geometry, new THREE.LineBasicMaterial({ vertexColors: true, depthTest: false }));
    this.lines.renderOrder = 2;
    this.fnLines = new THREE.LineSegments(
      this.fnGeometry,
      new THREE.LineBasicMaterial({ color: new THREE.Color(EDGE_FN[0] / 255, EDGE_FN[1] / 255, EDGE_FN[2] / 255) }),
    );
    this.fnLines.visible = false;
    this.fnLines.renderOrder = 2;
    (this.fnLines.material as THREE.LineBasicMaterial).depthTest = false;
    for (const o of [this.lines, this.fnLines]) o.frustumCulled = false;
  }

  get edges(): number {
    return this.graph ? this.graph.src.length : 0;
  }

  build(graph: GraphData | undefined): void {
    this.graph = graph;
    const m = graph ? graph.src.length : 0;
    // No index buffer until a cut needs one: edges are in score order, so the drawn set is a prefix and a draw
    // range is enough (saves an 8-bytes-per-edge upload on the first frame).
    this.index = new Uint32Array(0);
    this.geometry = new THREE.BufferGeometry();
    this.geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(6 * m), 3));
    this.lines.geometry = this.geometry;
    this.fnGeometry = new THREE.BufferGeometry();
    this.fnLines.geometry = this.fnGeometry;
    this.trueEdge = new Uint32Array(0);
    this.above = this.trueAbove = 0;
  }

  /** Edge end positions from the hits' drawn positions. */
  writePositions(hitPos: Float32Array): void {
    const g = this.graph;
    if (!g) return;
    const attr = this.geometry.getAttribute('position') as THREE.BufferAttribute;
    const a = attr.array as Float32Array;
    for (let k = 0; k < g.src.length; k++) {
      const s = 3 * g.nodeHit[g.src[k]];
      const t = 3 * g.nodeHit[g.dst[k]];
      a[6 * k] = hitPos[s];
      a[6 * k + 1] = hitPos[s + 1];
      a[6 * k + 2] = hitPos[s + 2];
      a[6 * k + 3] = hitPos[t];
      a[6 * k + 4] = hitPos[t + 1];
      a[6 * k + 5] = hitPos[t + 2];
    }
    attr.needsUpdate = true;
    if (this.trueEdge.length) this.writeFnPositions();
  }

  /** The true edges (once, for the truth colouring) and their line geometry. */
  prepareTruth(): void {
    const g = this.graph!;
    const y = g.y!;
    let nTrue = 0;
    for (let k = 0; k < y.length; k++) nTrue += y[k];
    this.trueEdge = new Uint32Array(nTrue);
    for (let k = 0, j = 0; k < y.length; k++) if (y[k]) this.trueEdge[j++] = k;
    this.fnGeometry = new THREE.BufferGeometry();
    this.fnGeometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(6 * nTrue), 3));
    this.fnLines.geometry = this.fnGeometry;
    this.writeFnPositions();
  }

  private writeFnPositions(): void {
    const src = (this.geometry.getAttribute('position') as THREE.BufferAttribute).array as Float32Array;
    const attr = this.fnGeometry.getAttribute('position') as THREE.BufferAttribute;
    const dst = attr.array as Float32Array;
    for (let j = 0; j < this.trueEdge.length; j++) dst.set(src.subarray(6 * this.trueEdge[j], 6 * this.trueEdge[j] + 6), 6 * j);
    attr.needsUpdate = true;
  }

  /** Counts the edges (and true edges) at or above `t`: binary searches, as both lists are in score order. */
  setThreshold(t: number): void {
    const g = this.graph;
    if (!g) return;
    const s = g.score;
    // A score equal to t is kept, as in the tracks stage and the GNN metrics (tracks.ts countAtOrAbove).
    this.above = s ? countAtOrAbove(s, t, undefined, g.src.length) : g.src.length;
    this.trueAbove = s && this.trueEdge.length ? countAtOrAbove(s, t, this.trueEdge) : 0;
  }

  /** Draw ranges (no cuts) or index buffers (cuts) of the edges above the threshold, and in truth colouring the
   * missed true edges below it. Returns the number of edges drawn. */
  updateDrawn(pass: Uint8Array | undefined, truthMode: boolean, showEdges: boolean): number {
    const g = this.graph;
    if (!g) return 0;
    const K = this.above;
    const nTrue = this.trueEdge.length;
    const KT = this.trueAbove;
    truthMode &&= nTrue > 0;
    this.fnLines.visible = truthMode && showEdges;
    if (!pass) {
      if (this.geometry.getIndex()) this.geometry.setIndex(null);
      this.geometry.setDrawRange(0, 2 * K);
      if (this.fnGeometry.getIndex()) this.fnGeometry.setIndex(null);
      this.fnGeometry.setDrawRange(2 * KT, 2 * (nTrue - KT));
      return K + (truthMode ? nTrue - KT : 0);
    }
    const nh = g.nodeHit;
    if (this.index.length !== 2 * g.src.length) this.index = new Uint32Array(2 * g.src.length);
    const idx = this.index;
    let len = 0;
    for (let k = 0; k < K; k++) {
      if (!(pass[nh[g.src[k]]] && pass[nh[g.dst[k]]])) continue;
      idx[len++] = 2 * k;
      idx[len++] = 2 * k + 1;
    }
    setIndexPrefix(this.geometry, idx, len);
    let fnLen = 0;
    if (truthMode) {
      if (this.fnIndex.length !== 2 * nTrue) this.fnIndex = new Uint32Array(2 * nTrue);
      const fi = this.fnIndex;
      for (let j = KT; j < nTrue; j++) {
        const k = this.trueEdge[j];
        if (!(pass[nh[g.src[k]]] && pass[nh[g.dst[k]]])) continue;
        fi[fnLen++] = 2 * j;
        fi[fnLen++] = 2 * j + 1;
      }
      setIndexPrefix(this.fnGeometry, fi, fnLen);
    }
    return (len + fnLen) / 2;
  }
}

/** Points a geometry's index at the first `len` entries of `idx` (uploading only those). */
export function setIndexPrefix(geometry: THREE.BufferGeometry, idx: Uint32Array, len: number): void {
  let attr = geometry.getIndex();
  if (!attr || attr.array !== idx) {
    attr = new THREE.BufferAttribute(idx, 1);
    geometry.setIndex(attr);
  }
  attr.clearUpdateRanges();
  attr.addUpdateRange(0, Math.max(len, 1));
  attr.needsUpdate = true;
  geometry.setDrawRange(0, len);
}
