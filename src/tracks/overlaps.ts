// Module overlaps: a particle that crosses a layer where two modules overlap leaves two hits on that layer, a few
// millimetres apart along its path. The graph's edges and the helix walk take one hit per layer, so the second is
// left as a single-hit track — on simulated MU = 200 events that left ~7 % of the TrackML score weight on the
// table (hits of found particles, next to the track's own hit on the same layer). This last step hangs each such
// hit on the track whose hit on that layer lies closest to the line the track runs along there.
import { z } from 'zod';
import type { Hits } from '../trackml/types.ts';
import { distancesFromOrigin, PIXEL_VOLUMES, rowsOfTracks, trackGroups } from './extend.ts';
import { lowerBound, phiIntervals } from './phi-window.ts';

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

/** A track's only hit on one layer, with the track's direction there. */
interface Anchor {
  row: number;
  ux: number;
  uy: number;
  uz: number;
}

/** Returns new track ids: single-hit tracks that sit next to a track's only hit on the same layer, on the line the
 * track runs along there, join that track. Each track hit takes at most one such hit, the closest first. */
export function attachOverlapHits(hits: Hits, trackId: BigInt64Array, config: OverlapConfig): BigInt64Array {
  const out = trackId.slice();
  if (!config.enabled) return out;
  const n = hits.hitId.length;
  const t = trackGroups(trackId);
  const dist3 = distancesFromOrigin(hits);
  const layerKey = (r: number) => hits.volumeId[r] * 256 + hits.layerId[r];

  // Anchors per layer: for every track of ≥ minHits hits, its hits on layers it touches once.
  const anchorsByLayer = new Map<number, Anchor[]>();
  for (const rows of rowsOfTracks(t, config.minHits)) {
    rows.sort((a, b) => dist3[a] - dist3[b]);
    for (let i = 0; i < rows.length; i++) {
      const s = rows[i];
      const key = layerKey(s);
      let once = true;
      for (const q of rows) if (q !== s && layerKey(q) === key) once = false;
      if (!once) continue;
      // Direction: central difference where the hit has neighbours on both sides, else one-sided.
      const a = rows[Math.max(0, i - 1)];
      const b = rows[Math.min(rows.length - 1, i + 1)];
      let ux = hits.x[b] - hits.x[a];
      let uy = hits.y[b] - hits.y[a];
      let uz = hits.z[b] - hits.z[a];
      const norm = Math.sqrt(ux * ux + uy * uy + uz * uz);
      if (!(norm > 0)) continue;
      ux /= norm;
      uy /= norm;
      uz /= norm;
      const list = anchorsByLayer.get(key);
      if (list) list.push({ row: s, ux, uy, uz });
      else anchorsByLayer.set(key, [{ row: s, ux, uy, uz }]);
    }
  }
  // φ-sorted anchors per layer.
  const layers = new Map<number, { anchors: Anchor[]; phi: Float64Array }>();
  for (const [key, list] of anchorsByLayer) {
    const phis = Float64Array.from(list, (a) => Math.atan2(hits.y[a.row], hits.x[a.row]));
    const order = Array.from(list.keys()).sort((i, j) => phis[i] - phis[j]);
    layers.set(key, { anchors: order.map((i) => list[i]), phi: Float64Array.from(order, (i) => phis[i]) });
  }

  // Candidate pairs (free hit, anchor) inside the windows, then the closest pairs first, one per hit and anchor.
  const pairs: { free: number; anchor: number; across: number }[] = [];
  const intervals = new Float64Array(4);
  for (let f = 0; f < n; f++) {
    if (t.size[t.groupOfRow[f]] !== 1) continue;
    const layer = layers.get(layerKey(f));
    if (!layer) continue;
    const vol = hits.volumeId[f];
    const acrossMax = PIXEL_VOLUMES.has(vol) ? config.pixelAcrossMm : vol >= 16 ? config.longAcrossMm : config.shortAcrossMm;
    const rf = Math.sqrt(hits.x[f] * hits.x[f] + hits.y[f] * hits.y[f]);
    const reach = config.alongMm + acrossMax;
    const dPhi = rf > reach ? Math.asin(reach / rf) : Math.PI;
    const nIv = phiIntervals(Math.atan2(hits.y[f], hits.x[f]), dPhi, intervals);
    for (let iv = 0; iv < nIv; iv++) {
      const end = lowerBound(layer.phi, 0, layer.phi.length, intervals[2 * iv + 1] + 1e-12);
      for (let k = lowerBound(layer.phi, 0, layer.phi.length, intervals[2 * iv]); k < end; k++) {
        const a = layer.anchors[k];
        const dx = hits.x[f] - hits.x[a.row];
        const dy = hits.y[f] - hits.y[a.row];
        const dz = hits.z[f] - hits.z[a.row];
        // The two hits are at most `reach` apart: most anchors in a wide φ window fail on one coordinate.
        if (Math.abs(dz) > reach || Math.abs(dx) > reach || Math.abs(dy) > reach) continue;
        const along = dx * a.ux + dy * a.uy + dz * a.uz;
        if (Math.abs(along) > config.alongMm) continue;
        const ax = dx - along * a.ux;
        const ay = dy - along * a.uy;
        const az = dz - along * a.uz;
        const across = Math.sqrt(ax * ax + ay * ay + az * az);
        if (across <= acrossMax) pairs.push({ free: f, anchor: a.row, across: across / acrossMax });
      }
    }
  }
  pairs.sort((p, q) => p.across - q.across);
  const usedAnchor = new Uint8Array(n);
  const usedFree = new Uint8Array(n);
  for (const p of pairs) {
    if (usedAnchor[p.anchor] || usedFree[p.free]) continue;
    usedAnchor[p.anchor] = usedFree[p.free] = 1;
    out[p.free] = trackId[p.anchor];
  }
  return out;
}
