/// <reference lib="dom" />
// Picking: the drawn hit under a pixel (or, off the hits, the track line there) and what is known about it.
import * as THREE from 'three';
import type { ViewerEventData } from '../event-data.ts';
import type { ViewState } from '../state.ts';
import { MATCH_NAMES, type LiveScore } from '../tracks.ts';
import type { SceneManager } from './scene-manager.ts';
import type { TrackLayer } from './track-layer.ts';

export interface PickInfo {
  kind: 'hit';
  row: number;
  lines: [string, string][];
}

export class SelectionManager {
  private readonly ray = new THREE.Raycaster();

  constructor(private readonly scene: SceneManager) {}

  pick(
    px: number,
    py: number,
    points: THREE.Points,
    tracks: THREE.LineSegments,
    describe: (row: number) => PickInfo,
  ): PickInfo | undefined {
    if (!points.visible) return undefined;
    const rect = this.scene.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2(((px - rect.left) / rect.width) * 2 - 1, -((py - rect.top) / rect.height) * 2 + 1);
    this.ray.setFromCamera(ndc, this.scene.camera);
    const wpp = this.scene.worldPerPixel();
    // Tolerance of ~6 pixels in world units at the target.
    this.ray.params.Points = { threshold: 6 * wpp };
    const hits = this.ray.intersectObject(points);
    let best = hits[0];
    for (const h of hits) if ((h.distanceToRay ?? 0) < (best.distanceToRay ?? 0)) best = h;
    if (best && best.index !== undefined) return describe(best.index);
    // No hit under the pointer: a track line there names its nearer end's hit (and so the track).
    if (!tracks.visible || tracks.geometry.drawRange.count === 0) return undefined;
    this.ray.params.Line = { threshold: 4 * wpp };
    const onTrack = this.ray.intersectObject(tracks)[0];
    if (!onTrack || onTrack.index === undefined) return undefined;
    const info = describe(tracks.geometry.getIndex()!.getX(onTrack.index));
    info.lines.unshift(['picked', 'track (nearest hit below)']);
    return info;
  }

  describeHit(
    d: ViewerEventData,
    s: ViewState,
    row: number,
    t: TrackLayer,
    live: LiveScore | undefined,
    outsideGraph: Uint8Array | undefined,
  ): PickInfo {
    const h = d.hits;
    const r = Math.hypot(h.x[row], h.y[row]);
    const lines: [string, string][] = [
      ['hit id', String(h.hitId[row])],
      ['x, y, z (mm)', `${h.x[row].toFixed(1)}, ${h.y[row].toFixed(1)}, ${h.z[row].toFixed(1)}`],
      ['r (mm), η', `${r.toFixed(1)}, ${Math.asinh(h.z[row] / Math.max(r, 1e-6)).toFixed(3)}`],
      ['volume / layer / module', `${h.volumeId[row]} / ${h.layerId[row]} / ${h.moduleId[row]}`],
    ];
    if (d.truth) {
      const tr = d.truth;
      if (tr.particleId[row] === 0n) lines.push(['particle', 'noise']);
      else {
        lines.push(['particle id', tr.particleId[row].toString()]);
        lines.push(['particle pT (GeV), η, q', `${tr.ptGeV[row].toFixed(3)}, ${tr.eta[row].toFixed(3)}, ${tr.charge[row]}`]);
        lines.push(['particle hits', String(tr.nhits[row])]);
      }
    }
    if (s.tracks !== 'none' && t.segments) {
      const label = t.labels[row];
      const size = t.segments.size[label];
      let name = String(label);
      if (s.tracks === 'submission' && d.tracks && d.tracks.hitTrack[row] >= 0) name = d.tracks.trackId[d.tracks.hitTrack[row]].toString();
      const alone = s.tracks === 'live' && outsideGraph?.[row] ? 'none (not a graph node)' : 'none (unconnected hit)';
      lines.push([`track (${s.tracks === 'submission' ? 'pipeline' : 'live'})`, size > 1 ? `${name}, ${size} hits` : alone]);
    }
    if (live) lines.push(['match', MATCH_NAMES[live.status[row]]]);
    return { kind: 'hit', row, lines };
  }
}
