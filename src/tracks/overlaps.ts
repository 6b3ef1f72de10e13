// Module overlaps: a particle that crosses a layer where two modules overlap leaves two hits on that layer, a few
// millimetres apart along its path. The graph's edges and the helix walk take one hit per layer, so the second is
// left as a single-hit track — on simulated MU = 200 events that left ~7 % of the TrackML score weight on the
// table (hits of found particles, next to the track's own hit on the same layer). This last step hangs each such
// hit on the track whose hit on that layer lies closest to the line the track runs along there. Forward particles
// often leave three hits on one pixel disk (modules on both faces): every track hit, not only a layer's single one,
// can take one, which brought in the third (+0.007 in score on npm start's events).
import { z } from 'zod';
import type { Hits } from '../trackml/types.ts';
import {
  buildHitIndex,
  firstAtLeast,
  LAYER_BIN_MM,
  layerViews,
  PIXEL_VOLUMES,
  TRACKER_VOLUMES,
  type HitIndex,
  type LayerView,
} from './hit-index.ts';
import { phiIntervals } from './phi-window.ts';
import { sortByKey } from './sort.ts';
import { rowsOfTracks, toStepIds, trackSizes } from './track-ids.ts';

export const overlapConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Tracks with at least this many hits take overlap hits (2: the short tracks of forward particles that cross
   * two or three pixel disks, often with overlaps on each, are found as pairs). */
  minHits: z.number().int().min(2).default(2),
  /** Largest distance between the two hits along the track's direction, mm. */
  alongMm: z.number().positive().default(25),
  /** Largest distance of the free hit from the track's line through its hit on that layer, mm: pixels, short
   * strips (12–14), long strips (16–18). */
  pixelAcrossMm: z.number().positive().default(0.5),
  shortAcrossMm: z.number().positive().default(3),
  longAcrossMm: z.number().positive().default(8),
});
export type OverlapConfig = z.output<typeof overlapConfigSchema>;

const keyOf = (hits: Hits, r: number): number => hits.volumeId[r] * 256 + hits.layerId[r];

/** Every hit of every track of ≥ minHits hits (anchorOf[row] ≥ 0: its index), with the track's unit direction there
 * (dir): between the nearest hits on other layers inside and outside (central difference), or one-sided at the ends
 * (two hits on one layer lie a few mm apart and would give a poor direction). */
function findAnchors(idx: HitIndex, ids: Int32Array, minHits: number): { anchorOf: Int32Array; dir: Float64Array } {
  const { hits, d3 } = idx;
  const anchorOf = new Int32Array(ids.length).fill(-1);
  let dir = new Float64Array(3 * 1024);
  let n = 0;
  for (const rows of rowsOfTracks(ids, trackSizes(ids), minHits)) {
    rows.sort((a, b) => (d3[a] < d3[b] ? -1 : d3[a] > d3[b] ? 1 : 0));
    for (let i = 0; i < rows.length; i++) {
      const s = rows[i];
      const key = keyOf(hits, s);
      let ia = i - 1;
      while (ia > 0 && keyOf(hits, rows[ia]) === key) ia--;
      let ib = i + 1;
      while (ib < rows.length - 1 && keyOf(hits, rows[ib]) === key) ib++;
      const a = rows[Math.max(0, ia)];
      const b = rows[Math.min(rows.length - 1, ib)];
      const ux = hits.x[b] - hits.x[a];
      const uy = hits.y[b] - hits.y[a];
      const uz = hits.z[b] - hits.z[a];
      const norm = Math.sqrt(ux * ux + uy * uy + uz * uz);
      if (!(norm > 0)) continue;
      if (3 * n === dir.length) {
        const grown = new Float64Array(2 * dir.length);
        grown.set(dir);
        dir = grown;
      }
      anchorOf[s] = n;
      dir[3 * n] = ux / norm;
      dir[3 * n + 1] = uy / norm;
      dir[3 * n + 2] = uz / norm;
      n++;
    }
  }
  return { anchorOf, dir };
}

const intervals = new Float64Array(4);

/** Pairs found for one free hit: anchor row, φ-interval, anchor φ and index (the order a plain φ scan met them in). */
let foundRow = new Int32Array(64);
let foundAcross = new Float64Array(64);
let foundIv = new Int32Array(64);
let foundPhi = new Float64Array(64);

/** New step ids: single-hit tracks that sit next to a track's hit on the same layer, on the line the track runs
 * along there, join that track. Each track hit takes at most one such hit, the closest first. Anchors are searched in
 * a view of the hit index (bins along the layer, φ); hits outside the tracker volumes (none in TrackML) take no part. */
export function attachOverlaps(idx: HitIndex, ids: Int32Array, config: OverlapConfig): Int32Array {
  const out = ids.slice();
  if (!config.enabled) return out;
  const { hits, layerOf } = idx;
  const n = ids.length;
  const size = trackSizes(ids);
  const { anchorOf, dir } = findAnchors(idx, ids, config.minHits);
  const isAnchor = new Uint8Array(n);
  for (let r = 0; r < n; r++) isAnchor[r] = anchorOf[r] >= 0 ? 1 : 0;
  const viewOf: (LayerView | undefined)[] = new Array(idx.layerKey.length);
  for (const l of layerViews(idx, isAnchor, TRACKER_VOLUMES, () => ({ acrossMm: 0, alongMm: 0 }))) viewOf[l.layer] = l;
  // Candidate pairs (free hit, anchor) inside the windows, per free hit in the order a plain φ scan meets them.
  const pairs = new Pairs();
  near.alongMm = config.alongMm;
  for (let f = 0; f < n; f++) {
    if (size[ids[f]] !== 1 || layerOf[f] < 0) continue;
    const l = viewOf[layerOf[f]];
    if (!l) continue;
    const vol = hits.volumeId[f];
    near.acrossMax = PIXEL_VOLUMES.has(vol) ? config.pixelAcrossMm : vol >= 16 ? config.longAcrossMm : config.shortAcrossMm;
    const nFound = anchorsNear(idx, l, f, anchorOf, dir);
    for (let j = 0; j < nFound; j++) pairs.push(f, foundRow[j], foundAcross[j]);
  }
  const order = sortByKey(pairs.across, pairs.n);
  const usedAnchor = new Uint8Array(n);
  const usedFree = new Uint8Array(n);
  for (let k = 0; k < pairs.n; k++) {
    const i = order[k];
    const f = pairs.free[i];
    const a = pairs.anchor[i];
    if (usedAnchor[a] || usedFree[f]) continue;
    usedAnchor[a] = usedFree[f] = 1;
    out[f] = ids[a];
  }
  return out;
}

/** The current free hit's window (fields, not arguments: see src/tracks/helix-walk.ts Prediction): the largest distance
 * along the anchor's line, the largest across it, and their sum. */
class Near {
  alongMm = NaN;
  acrossMax = NaN;
  reach = NaN;
}
const near = new Near();

/** Candidate pairs: free hit, anchor row, distance across the anchor's line / the window (growable typed arrays). */
class Pairs {
  free = new Int32Array(1024);
  anchor = new Int32Array(1024);
  across = new Float64Array(1024);
  n = 0;

  push(f: number, anchor: number, across: number): void {
    if (this.n === this.free.length) {
      this.free = grownInt(this.free, 2 * this.n);
      this.anchor = grownInt(this.anchor, 2 * this.n);
      const a = new Float64Array(2 * this.n);
      a.set(this.across);
      this.across = a;
    }
    this.free[this.n] = f;
    this.anchor[this.n] = anchor;
    this.across[this.n++] = across;
  }
}

/** The anchors on view l near free hit f (within near.alongMm along the anchor's line and near.acrossMax across it),
 * into foundRow / foundAcross (across / acrossMax) in the order a plain φ scan of the layer's anchors meets them:
 * φ-interval, then φ, then anchor index. Returns how many. */
function anchorsNear(idx: HitIndex, l: LayerView, f: number, anchorOf: Int32Array, dir: Float64Array): number {
  const { hits, rT, phi } = idx;
  // Two hits that pass lie at most `reach` apart: within ±reach along the layer and asin(reach / r) in φ.
  const reach = (near.reach = near.alongMm + near.acrossMax);
  const dPhi = rT[f] > reach ? Math.asin(reach / rT[f]) : Math.PI;
  const nIv = phiIntervals(phi[f], dPhi, intervals);
  const alongF = l.barrel ? hits.z[f] : rT[f];
  const xf = hits.x[f],
    yf = hits.y[f],
    zf = hits.z[f];
  const lx = l.x,
    ly = l.y,
    lz = l.z;
  const nBins = l.binStart.length - 1;
  const b0 = Math.max(0, Math.floor((alongF - reach - l.alongMin) / LAYER_BIN_MM));
  const b1 = Math.min(nBins - 1, Math.floor((alongF + reach - l.alongMin) / LAYER_BIN_MM));
  let nFound = 0;
  for (let b = b0; b <= b1; b++) {
    const end = l.binStart[b + 1];
    for (let iv = 0; iv < nIv; iv++) {
      const last = firstAtLeast(l, b, end, intervals[2 * iv + 1] + 1e-12);
      for (let k = firstAtLeast(l, b, end, intervals[2 * iv]); k < last; k++) {
        // The two hits are at most `reach` apart: most anchors in a wide φ window fail on one coordinate (read from the
        // view's contiguous copies, not the event's columns at scattered rows).
        const dz = zf - lz[k];
        const dx = xf - lx[k];
        const dy = yf - ly[k];
        if (Math.abs(dz) > reach || Math.abs(dx) > reach || Math.abs(dy) > reach) continue;
        const row = l.rows[k];
        const a = anchorOf[row];
        const across = acrossOf(dx, dy, dz, dir, a);
        if (across > near.acrossMax) continue;
        if (nFound === foundRow.length) growFound();
        let j = nFound++;
        const p = l.phi[k];
        while (
          j > 0 &&
          (foundIv[j - 1] > iv ||
            (foundIv[j - 1] === iv && (foundPhi[j - 1] > p || (foundPhi[j - 1] === p && anchorOf[foundRow[j - 1]] > a))))
        ) {
          foundIv[j] = foundIv[j - 1];
          foundPhi[j] = foundPhi[j - 1];
          foundRow[j] = foundRow[j - 1];
          foundAcross[j] = foundAcross[j - 1];
          j--;
        }
        foundIv[j] = iv;
        foundPhi[j] = p;
        foundRow[j] = row;
        foundAcross[j] = across / near.acrossMax;
      }
    }
  }
  return nFound;
}

function grownInt(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

function growFound(): void {
  const cap = 2 * foundRow.length;
  foundRow = grownInt(foundRow, cap);
  const across = new Float64Array(cap);
  across.set(foundAcross);
  foundAcross = across;
  foundIv = grownInt(foundIv, cap);
  const phi = new Float64Array(cap);
  phi.set(foundPhi);
  foundPhi = phi;
}

/** Distance from the line through an anchor (direction dir[3a..3a+2]) of a free hit at (dx, dy, dz) from it (each
 * within near.reach); Infinity when farther than near.alongMm along the line. */
function acrossOf(dx: number, dy: number, dz: number, dir: Float64Array, a: number): number {
  const ux = dir[3 * a],
    uy = dir[3 * a + 1],
    uz = dir[3 * a + 2];
  const along = dx * ux + dy * uy + dz * uz;
  if (Math.abs(along) > near.alongMm) return Infinity;
  const ax = dx - along * ux;
  const ay = dy - along * uy;
  const az = dz - along * uz;
  return Math.sqrt(ax * ax + ay * ay + az * az);
}

/** attachOverlaps on 64-bit track ids. */
export function attachOverlapHits(hits: Hits, trackId: BigInt64Array, config: OverlapConfig): BigInt64Array {
  if (!config.enabled) return trackId.slice();
  const step = toStepIds(trackId);
  return step.back(attachOverlaps(buildHitIndex(hits), step.ids, config));
}
