/// <reference lib="dom" />
// Exports of the current view: a PNG of the canvas, and Phoenix event-data JSON of the drawn hits and the shown
// tracks (with track parameters and ≥ 3 points each, the same builder as `npm run export -- --to phoenix`).
import { phoenixEvent } from '../../../src/interop/phoenix.ts';
import { categoryColour } from '../colors.ts';
import type { ViewerEventData } from '../event-data.ts';
import type { ViewState } from '../state.ts';
import type { SceneManager } from './scene-manager.ts';
import { MIN_TRACK_HITS, type TrackLayer } from './track-layer.ts';

const hex = (label: number): string => {
  const c = new Uint8Array(3);
  categoryColour(label, c, 0);
  return [...c].map((v) => v.toString(16).padStart(2, '0')).join('');
};

export class ExportManager {
  constructor(private readonly scene: SceneManager) {}

  png(): string {
    this.scene.renderNow();
    return this.scene.renderer.domElement.toDataURL('image/png');
  }

  /** Drawn hits and the tracks of the shown set whose hits pass the cuts (truth particles need their production
   * vertices, which the page does not load: `npm run export -- --to phoenix` writes them). */
  phoenix(d: ViewerEventData, s: ViewState, drawnRows: Uint32Array, pass: Uint8Array, t: TrackLayer): Record<string, unknown> {
    const labels = new Int32Array(d.hits.hitId.length).fill(-1);
    if (s.tracks !== 'none' && t.segments && !t.empty) {
      for (let i = 0; i < labels.length; i++) if (pass[i] && t.segments.size[t.labels[i]] >= MIN_TRACK_HITS) labels[i] = t.labels[i];
    }
    const name = s.tracks === 'submission' ? 'Tracks (pipeline)' : `Tracks (live, threshold ${s.threshold})`;
    return phoenixEvent({
      eventId: d.eventId,
      hits: d.hits,
      hitRows: drawnRows,
      tracks: s.tracks === 'none' ? [] : [{ name, labels, minHits: MIN_TRACK_HITS, colour: hex }],
    });
  }
}
