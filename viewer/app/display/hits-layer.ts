// Hits as one Points object over a position buffer shared with the track lines; the drawn hits are an index
// prefix (cuts) and their colours a byte buffer (colour-manager.ts). Faded by default, so the GNN's edges and the
// tracks stay visible over ~100 k hits.
import * as THREE from 'three';
import type { HitsData } from '../event-data.ts';
import type { HitStyle, Projection } from '../state.ts';

export class HitsLayer {
  readonly points: THREE.Points;
  private readonly material = new THREE.PointsMaterial({ size: 2, sizeAttenuation: false, vertexColors: true });
  geometry = new THREE.BufferGeometry();
  /** Drawn positions (projected for x–y / r–z), 3 per hit row. */
  pos = new Float32Array(0);
  colours = new Uint8Array(0);
  /** Rows of the drawn hits, first `drawn` entries. */
  index = new Uint32Array(0);
  drawn = 0;
  positionAttr = new THREE.BufferAttribute(new Float32Array(0), 3);

  constructor() {
    this.points = new THREE.Points(this.geometry, this.material);
    this.points.frustumCulled = false;
  }

  build(n: number): void {
    this.pos = new Float32Array(3 * n);
    this.colours = new Uint8Array(3 * n);
    this.index = new Uint32Array(n);
    this.positionAttr = new THREE.BufferAttribute(this.pos, 3);
    this.geometry = new THREE.BufferGeometry();
    this.geometry.setAttribute('position', this.positionAttr);
    this.geometry.setAttribute('color', new THREE.BufferAttribute(this.colours, 3, true));
    this.geometry.setIndex(new THREE.BufferAttribute(this.index, 1));
    this.points.geometry = this.geometry;
  }

  /** Writes the drawn positions for a projection: 3D as is; r–z as (z, ±r) with the sign of y. */
  project(hits: HitsData, p: Projection): void {
    const { x, y, z } = hits;
    const pos = this.pos;
    for (let i = 0; i < x.length; i++) {
      if (p === 'rz') {
        const r = Math.hypot(x[i], y[i]);
        pos[3 * i] = z[i];
        pos[3 * i + 1] = y[i] >= 0 ? r : -r;
        pos[3 * i + 2] = 0;
      } else {
        pos[3 * i] = x[i];
        pos[3 * i + 1] = y[i];
        pos[3 * i + 2] = z[i];
      }
    }
    this.positionAttr.needsUpdate = true;
  }

  setDrawn(drawn: number): void {
    this.drawn = drawn;
    this.geometry.getIndex()!.needsUpdate = true;
    this.geometry.setDrawRange(0, drawn);
  }

  coloursChanged(): void {
    (this.geometry.getAttribute('color') as THREE.BufferAttribute).needsUpdate = true;
  }

  /** Faded hits are translucent and write no depth, so edges and tracks behind them still show. */
  setStyle(style: HitStyle): void {
    const faded = style === 'faded';
    this.material.transparent = faded;
    this.material.opacity = faded ? 0.3 : 1;
    this.material.depthWrite = !faded;
    this.material.needsUpdate = true;
    this.points.renderOrder = faded ? -1 : 0;
  }
}
