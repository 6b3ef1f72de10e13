// Colours of hits (volume, particle, track, match status) and edges (GNN score, or TP / FP / FN against truth),
// written as bytes into the layers' colour buffers, and the legend of each colouring as plain data that the UI
// renders — so every colour on the screen has a key.
import * as THREE from 'three';
import { categoryColour, cssRgb, EDGE_FN, EDGE_FP, EDGE_TP, MATCH_COLOURS, OUTSIDE_GRAPH_COLOUR, viridis, VIRIDIS_CSS } from '../colors.ts';
import type { GraphData, ViewerEventData } from '../event-data.ts';
import type { ViewState } from '../state.ts';
import { MATCH_MISSED, MATCH_NAMES, type LiveScore } from '../tracks.ts';

/** One legend: a colour bar with ticks, or swatches with labels, and a note. */
export interface Legend {
  title: string;
  gradient?: { css: string; ticks: string[] };
  swatches?: { css: string; label: string }[];
  note?: string;
}

const NOISE = MATCH_COLOURS[4];
const css = (k: number): string => {
  const c = new Uint8Array(3);
  categoryColour(k, c, 0);
  return cssRgb([c[0], c[1], c[2]]);
};

export class ColourManager {
  scoreColours: THREE.BufferAttribute | undefined;
  truthColours: THREE.BufferAttribute | undefined;

  build(graph: GraphData | undefined): void {
    this.truthColours = undefined;
    const m = graph ? graph.src.length : 0;
    const c = new Uint8Array(6 * m);
    for (let k = 0; k < m; k++) {
      viridis(graph!.score ? graph!.score[k] : 1, c, 6 * k);
      c[6 * k + 3] = c[6 * k];
      c[6 * k + 4] = c[6 * k + 1];
      c[6 * k + 5] = c[6 * k + 2];
    }
    this.scoreColours = new THREE.BufferAttribute(c, 3, true);
  }

  /** TP / FP by label alone (never changes with the threshold; the missed ones are the separate FN lines). */
  edgeTruthColours(graph: GraphData): THREE.BufferAttribute {
    if (this.truthColours) return this.truthColours;
    const y = graph.y!;
    const c = new Uint8Array(6 * y.length);
    for (let k = 0; k < y.length; k++) {
      const col = y[k] ? EDGE_TP : EDGE_FP;
      c.set(col, 6 * k);
      c.set(col, 6 * k + 3);
    }
    return (this.truthColours = new THREE.BufferAttribute(c, 3, true));
  }

  /** The hit colouring actually drawn (falls back when its data is missing). */
  effectiveHitColour(d: ViewerEventData, s: ViewState, live: LiveScore | undefined): ViewState['hitColour'] {
    let mode = s.hitColour;
    if ((mode === 'particle' || mode === 'match') && !d.truth) mode = 'volume';
    if (mode === 'match' && !live) mode = d.truth ? 'particle' : 'volume';
    return mode;
  }

  writeHitColours(
    d: ViewerEventData,
    s: ViewState,
    out: Uint8Array,
    labels: Int32Array,
    size: Int32Array | undefined,
    live: LiveScore | undefined,
    outsideGraph: Uint8Array | undefined,
  ): void {
    const n = d.hits.hitId.length;
    const mode = this.effectiveHitColour(d, s, live);
    // With live tracks, a hit the graph left out (e.g. strips under a pixel-only graph) was never in reach of the
    // GNN: told apart from hits the tracks missed.
    const outside = s.tracks === 'live' ? outsideGraph : undefined;
    for (let i = 0; i < n; i++) {
      const o = 3 * i;
      if (mode === 'volume') categoryColour(d.hits.volumeId[i], out, o);
      else if (mode === 'particle') {
        const p = d.truth!.particle[i];
        if (p < 0) out.set(NOISE, o);
        else categoryColour(p, out, o);
      } else if (mode === 'track') {
        if (size && size[labels[i]] < 2) out.set(NOISE, o);
        else categoryColour(labels[i], out, o);
      } else if (live!.status[i] === MATCH_MISSED && outside && outside[i]) out.set(OUTSIDE_GRAPH_COLOUR, o);
      else out.set(MATCH_COLOURS[live!.status[i]], o);
    }
  }

  /** Legends of what is on screen: hits, edges, track lines. */
  legends(d: ViewerEventData, s: ViewState, live: LiveScore | undefined): Legend[] {
    const out: Legend[] = [];
    const mode = this.effectiveHitColour(d, s, live);
    const hitTitle = `hits (${s.hitStyle === 'faded' ? 'faded' : s.hitStyle === 'graph' ? 'graph nodes only' : 'full'})`;
    if (mode === 'volume') {
      const vols = [...new Set(d.hits.volumeId)].sort((a, b) => a - b);
      out.push({ title: `${hitTitle} by volume`, swatches: vols.map((v) => ({ css: css(v), label: String(v) })) });
    } else if (mode === 'particle') {
      out.push({ title: `${hitTitle} by particle`, swatches: [{ css: cssRgb(NOISE), label: 'noise' }], note: 'one colour per particle' });
    } else if (mode === 'track') {
      out.push({
        title: `${hitTitle} by track`,
        swatches: [{ css: cssRgb(NOISE), label: 'in no track' }],
        note: 'one colour per track, as the track lines',
      });
    } else {
      const sw: { css: string; label: string }[] = MATCH_NAMES.map((nm, k) => ({ css: cssRgb(MATCH_COLOURS[k]), label: nm }));
      if (s.tracks === 'live' && d.graph) sw.push({ css: cssRgb(OUTSIDE_GRAPH_COLOUR), label: 'not in graph' });
      out.push({ title: `${hitTitle} by match to truth`, swatches: sw });
    }
    if (d.graph && s.showEdges) {
      if (s.edgeColour === 'truth' && d.graph.y) {
        out.push({
          title: `edges vs truth at threshold ${s.threshold.toFixed(3)}`,
          swatches: [
            { css: cssRgb(EDGE_TP), label: 'TP (true, kept)' },
            { css: cssRgb(EDGE_FP), label: 'FP (false, kept)' },
            { css: cssRgb(EDGE_FN), label: 'FN (true, below)' },
          ],
        });
      } else {
        out.push({ title: `edges ≥ threshold by GNN score`, gradient: { css: VIRIDIS_CSS, ticks: ['0', '0.5', '1'] } });
      }
    }
    if (s.tracks !== 'none') {
      const what = s.tracks === 'submission' ? "the pipeline's tracks" : `live union-find at ${s.threshold.toFixed(3)}`;
      out.push({
        title: `track lines: ${what}`,
        note: `one colour per track (≥ 3 hits), joining its hits in order of distance from the origin`,
      });
    }
    if (s.showDetector) out.push({ title: 'detector modules', swatches: [{ css: 'rgb(85,96,112)', label: 'module outline' }] });
    return out;
  }
}
