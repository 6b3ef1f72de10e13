// Tracks: per-hit labels from the chosen track set (the pipeline's tracks, or live union-find over the edges at or
// above the threshold), their polylines as one LineSegments over the hits' position buffer, and the live TrackML
// score of the labels. Cuts hide a track's segments whose ends are cut away, as they hide hits and edges.
import * as THREE from 'three';
import { categoryColour } from '../colors.ts';
import type { ViewerEventData } from '../event-data.ts';
import type { TrackSource } from '../state.ts';
import { componentLabels, hitLabels, LiveScorer, orderByRadius, trackSegments, type LiveScore, type TrackSegments } from '../tracks.ts';

export const MIN_TRACK_HITS = 3;

export class TrackLayer {
  readonly lines: THREE.LineSegments;
  geometry = new THREE.BufferGeometry();
  private colours = new Uint8Array(0);
  labels = new Int32Array(0);
  labelLimit = 0;
  byRadius: Uint32Array = new Uint32Array(0);
  segments: TrackSegments | undefined;
  private drawIndex = new Uint32Array(0);
  private scorer: LiveScorer | undefined;
  live: LiveScore | undefined;
  /** True when the current source has no tracks (none, or a source the event lacks). */
  empty = true;
  tracksDrawn = 0;

  constructor() {
    this.lines = new THREE.LineSegments(
      this.geometry,
      new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.35 }),
    );
    this.lines.frustumCulled = false;
    this.lines.renderOrder = 1;
  }

  build(d: ViewerEventData, positions: THREE.BufferAttribute): void {
    const n = d.hits.hitId.length;
    this.labels = new Int32Array(n);
    this.byRadius = orderByRadius(d.hits.x, d.hits.y, d.hits.z);
    this.scorer = d.truth ? new LiveScorer({ hitId: d.hits.hitId, particleId: d.truth.particleId, weight: d.truth.weight }) : undefined;
    this.colours = new Uint8Array(3 * n);
    this.drawIndex = new Uint32Array(2 * n);
    // Tracks share the hits' position buffer (one upload) with their own colours and index.
    this.geometry = new THREE.BufferGeometry();
    this.geometry.setAttribute('position', positions);
    this.geometry.setAttribute('color', new THREE.BufferAttribute(this.colours, 3, true));
    this.geometry.setIndex(new THREE.BufferAttribute(this.drawIndex, 1));
    this.geometry.setDrawRange(0, 0);
    this.lines.geometry = this.geometry;
    this.labelLimit = Math.max(d.graph ? d.graph.nodeHit.length + n : n, d.tracks ? d.tracks.trackId.length + n : 0);
    this.segments = undefined;
  }

  /** Labels per hit from `source` (edgesAbove: the live set's edge count). */
  computeLabels(d: ViewerEventData, source: TrackSource, edgesAbove: number): void {
    const n = d.hits.hitId.length;
    const labels = this.labels;
    if (source === 'live' && d.graph?.score) {
      const g = d.graph;
      hitLabels(n, g.nodeHit, componentLabels(g.nodeHit.length, g.src, g.dst, edgesAbove), labels);
    } else if (source === 'submission' && d.tracks) {
      const ht = d.tracks.hitTrack;
      const nt = d.tracks.trackId.length;
      for (let i = 0; i < n; i++) labels[i] = ht[i] >= 0 ? ht[i] : nt + i;
    } else {
      for (let i = 0; i < n; i++) labels[i] = i;
    }
    this.empty = source === 'none' || (source === 'live' && !d.graph?.score) || (source === 'submission' && !d.tracks);
    this.segments = trackSegments(labels, this.byRadius, MIN_TRACK_HITS, this.labelLimit, this.segments);
    const tc = this.colours;
    for (let i = 0; i < n; i++) categoryColour(labels[i], tc, 3 * i);
    (this.geometry.getAttribute('color') as THREE.BufferAttribute).needsUpdate = true;
  }

  /** The drawn segments: all of them, or (cuts on) those whose two hits pass. */
  updateDrawn(pass: Uint8Array | undefined): void {
    const seg = this.segments;
    if (this.empty || !seg) {
      this.geometry.setDrawRange(0, 0);
      this.tracksDrawn = 0;
      return;
    }
    const idx = this.drawIndex;
    let len = 0;
    if (!pass) {
      idx.set(seg.index.subarray(0, seg.length));
      len = seg.length;
      this.tracksDrawn = seg.tracks;
    } else {
      // A track counts as drawn when at least one of its segments is.
      const seen = new Uint8Array(this.labelLimit);
      let tracks = 0;
      for (let k = 0; k < seg.length; k += 2) {
        const a = seg.index[k],
          b = seg.index[k + 1];
        if (!pass[a] || !pass[b]) continue;
        idx[len++] = a;
        idx[len++] = b;
        const l = this.labels[a];
        if (!seen[l]) ((seen[l] = 1), tracks++);
      }
      this.tracksDrawn = tracks;
    }
    const attr = this.geometry.getIndex()!;
    attr.clearUpdateRanges();
    attr.addUpdateRange(0, Math.max(1, len));
    attr.needsUpdate = true;
    this.geometry.setDrawRange(0, len);
  }

  /** The live score of the current labels (undefined without truth or tracks). */
  score(): LiveScore | undefined {
    this.live = this.scorer && !this.empty ? this.scorer.score(this.labels, this.labelLimit) : undefined;
    return this.live;
  }
}
