// Module overlaps: a particle that crosses a layer where two modules overlap leaves two hits on that layer, a few
// millimetres apart along its path. The graph's edges and the helix walk take one hit per layer, so the second is
// left as a single-hit track — on simulated MU = 200 events that left ~7 % of the TrackML score weight on the
// table (hits of found particles, next to the track's own hit on the same layer). This last step hangs each such
// hit on the track whose hit on that layer lies closest to the line the track runs along there. Forward particles
// often leave three hits on one pixel disk (modules on both faces): every track hit, not only a layer's single one,
// can take one, which brought in the third (+0.007 in score on npm start's events).
import { z } from 'zod';
import type { Hits } from '../trackml/types.ts';
import { wrapPhi } from '../geometry/helix-math.ts';
import {
  buildHitIndex,
  layerViews,
  PIXEL_VOLUMES,
  TRACKER_VOLUMES,
  Window,
  windowQuery,
  type HitIndex,
  type LayerView,
} from './hit-index.ts';
import { sortByKey } from './sort.ts';
import { toStepIds, trackRowsBy, trackSizes } from './track-ids.ts';

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

/** Every hit of every track of ≥ minHits hits (anchorRow[a]: anchor a's row), with the track's unit direction there
 * (dir): between the nearest hits on other layers inside and outside (central difference), or one-sided at the ends
 * (two hits on one layer lie a few mm apart and would give a poor direction). */
function findAnchors(idx: HitIndex, ids: Int32Array, minHits: number): { anchorRow: Int32Array; dir: Float64Array } {
  const { hits, d3 } = idx;
  const { x, y, z, volumeId, layerId } = hits;
  const { count, start, rows } = trackRowsBy(ids, trackSizes(ids), minHits, d3);
  const anchorRow = new Int32Array(rows.length);
  const dir = new Float64Array(3 * rows.length);
  let n = 0;
  for (let t = 0; t < count; t++) {
    const first = start[t];
    const last = start[t + 1] - 1;
    for (let i = first; i <= last; i++) {
      const s = rows[i];
      const key = volumeId[s] * 256 + layerId[s];
      let ia = i - 1;
      while (ia > first && volumeId[rows[ia]] * 256 + layerId[rows[ia]] === key) ia--;
      let ib = i + 1;
      while (ib < last && volumeId[rows[ib]] * 256 + layerId[rows[ib]] === key) ib++;
      const a = rows[Math.max(first, ia)];
      const b = rows[Math.min(last, ib)];
      const ux = x[b] - x[a];
      const uy = y[b] - y[a];
      const uz = z[b] - z[a];
      const norm = Math.sqrt(ux * ux + uy * uy + uz * uz);
      if (!(norm > 0)) continue;
      anchorRow[n] = s;
      dir[3 * n] = ux / norm;
      dir[3 * n + 1] = uy / norm;
      dir[3 * n + 2] = uz / norm;
      n++;
    }
  }
  return { anchorRow: anchorRow.subarray(0, n), dir };
}

/** New step ids: single-hit tracks that sit next to a track's hit on the same layer, on the line the track runs
 * along there, join that track. Each track hit takes at most one such hit, the closest first (ties: the lower free
 * row, then the lower anchor index). Each anchor searches the single hits of its layer (a view of the hit index: bins
 * along the layer, φ) near its line; hits outside the tracker volumes (none in TrackML) take no part. */
export function attachOverlaps(idx: HitIndex, ids: Int32Array, config: OverlapConfig): Int32Array {
  const out = ids.slice();
  if (!config.enabled) return out;
  const { hits, layerOf } = idx;
  const n = ids.length;
  const size = trackSizes(ids);
  const { anchorRow, dir } = findAnchors(idx, ids, config.minHits);
  const single = new Uint8Array(n);
  for (let r = 0; r < n; r++) single[r] = size[ids[r]] === 1 && layerOf[r] >= 0 ? 1 : 0;
  const viewOf: (LayerView | undefined)[] = new Array(idx.layerKey.length);
  for (const l of layerViews(idx, single, TRACKER_VOLUMES, () => ({ acrossMm: 0, alongMm: 0 }))) viewOf[l.layer] = l;
  // Candidate pairs (free hit, anchor) inside the windows, anchor by anchor.
  const pairs = new Pairs();
  near.alongMm = config.alongMm;
  if (found.length < n) found = new Int32Array(n);
  for (let a = 0; a < anchorRow.length; a++) {
    const s = anchorRow[a];
    const l = viewOf[layerOf[s]];
    if (!l) continue;
    const vol = hits.volumeId[s];
    near.acrossMax = PIXEL_VOLUMES.has(vol) ? config.pixelAcrossMm : vol >= 16 ? config.longAcrossMm : config.shortAcrossMm;
    const nFound = freeNear(idx, l, s, dir, a);
    const xs = hits.x[s],
      ys = hits.y[s],
      zs = hits.z[s];
    for (let j = 0; j < nFound; j++) {
      const k = found[j];
      const across = acrossOf(l.x[k] - xs, l.y[k] - ys, l.z[k] - zs, dir, a);
      if (across <= near.acrossMax) pairs.push(l.rows[k], s, across / near.acrossMax);
    }
  }
  // Closest first; ties by free row, then anchor index (pairs come in anchor order: a stable counting sort by free row
  // first, then a stable sort by distance).
  const byFree = countingOrder(pairs.free, pairs.n, n);
  const across = new Float64Array(pairs.n);
  for (let k = 0; k < pairs.n; k++) across[k] = pairs.across[byFree[k]];
  const order = sortByKey(across, pairs.n);
  const usedAnchor = new Uint8Array(n);
  const usedFree = new Uint8Array(n);
  for (let k = 0; k < pairs.n; k++) {
    const i = byFree[order[k]];
    const f = pairs.free[i];
    const a = pairs.anchor[i];
    if (usedAnchor[a] || usedFree[f]) continue;
    usedAnchor[a] = usedFree[f] = 1;
    out[f] = ids[a];
  }
  return out;
}

/** Indices 0..count−1 ordered by key (integers in [0, range)), stable. */
function countingOrder(key: Int32Array, count: number, range: number): Int32Array {
  const start = new Int32Array(range + 1);
  for (let i = 0; i < count; i++) start[key[i] + 1]++;
  for (let v = 0; v < range; v++) start[v + 1] += start[v];
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[start[key[i]]++] = i;
  return order;
}

/** The current anchor's window (fields, not arguments: see src/tracks/helix-walk.ts Prediction): the largest distance
 * along the anchor's line and the largest across it. */
class Near {
  alongMm = NaN;
  acrossMax = NaN;
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

/** Window query buffer (view indices of the hits found), grown to the event's size. */
let found = new Int32Array(1024);
const win = new Window();

/** The single hits on view l that can lie within near.alongMm along anchor s's line (direction dir[3a..3a+2]) and
 * near.acrossMax across it, into `found` (a superset: the caller measures each): the segment s ± alongMm·dir widened by
 * acrossMax, as a range along the layer (z on a barrel, r on a disk) and an azimuth window — the azimuth along a
 * straight segment that misses the beam axis runs monotonically between its ends' values, and a point within δ of a
 * point at radius ρ lies within asin(δ / ρ) of its azimuth. Returns how many. */
function freeNear(idx: HitIndex, l: LayerView, s: number, dir: Float64Array, a: number): number {
  const { hits, phi } = idx;
  const A = near.alongMm;
  const delta = near.acrossMax;
  const ux = dir[3 * a],
    uy = dir[3 * a + 1],
    uz = dir[3 * a + 2];
  const xs = hits.x[s],
    ys = hits.y[s],
    zs = hits.z[s];
  const x1 = xs - A * ux,
    y1 = ys - A * uy,
    x2 = xs + A * ux,
    y2 = ys + A * uy;
  const r1 = Math.sqrt(x1 * x1 + y1 * y1);
  const r2 = Math.sqrt(x2 * x2 + y2 * y2);
  // Closest transverse distance of the segment to the beam axis.
  const tLen2 = (x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1);
  let rLo = Math.min(r1, r2);
  if (tLen2 > 0) {
    const t = -(x1 * (x2 - x1) + y1 * (y2 - y1)) / tLen2;
    if (t > 0 && t < 1) {
      const cx = x1 + t * (x2 - x1);
      const cy = y1 + t * (y2 - y1);
      rLo = Math.sqrt(cx * cx + cy * cy);
    }
  }
  // Margins cover rounding (the pairs are then measured exactly).
  const eps = 1e-6;
  if (l.barrel) {
    win.alongLo = Math.min(zs - A * uz, zs + A * uz) - delta - eps;
    win.alongHi = Math.max(zs - A * uz, zs + A * uz) + delta + eps;
  } else {
    win.alongLo = rLo - delta - eps;
    win.alongHi = Math.max(r1, r2) + delta + eps;
  }
  win.phi = phi[s];
  if (rLo > delta + 1) {
    const d1 = Math.abs(wrapPhi(Math.atan2(y1, x1) - phi[s]));
    const d2 = Math.abs(wrapPhi(Math.atan2(y2, x2) - phi[s]));
    win.dPhi = Math.min(Math.PI, Math.max(d1, d2) + Math.asin(delta / rLo) + 1e-9);
  } else win.dPhi = Math.PI;
  return windowQuery(l, win, true, found);
}

function grownInt(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

/** Distance from the line through an anchor (direction dir[3a..3a+2]) of a free hit at (dx, dy, dz) from it;
 * Infinity when farther than near.alongMm along the line. */
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
