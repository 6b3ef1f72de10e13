// Module overlaps: a particle that crosses a layer where two modules overlap leaves two hits on that layer, a few
// millimetres apart along its path. The graph's edges and the helix walk take one hit per layer, so the second is
// left as a single-hit track — on simulated MU = 200 events that left ~7 % of the TrackML score weight on the
// table (hits of found particles, next to the track's own hit on the same layer). This last step hangs each such
// hit on the track whose hit on that layer lies closest to the line the track runs along there. Forward particles
// often leave three hits on one pixel disk (modules on both faces): every track hit, not only a layer's single one,
// can take one, which brought in the third (+0.007 in score on npm start's events).
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

/** Returns new track ids: single-hit tracks that sit next to a track's hit on the same layer, on the line the track
 * runs along there, join that track. Each track hit takes at most one such hit, the closest first. Anchors
 * (a track hit, with the track's unit direction there) and candidate pairs live in flat arrays:
 * an event has ~10⁵ of each. */
export function attachOverlapHits(hits: Hits, trackId: BigInt64Array, config: OverlapConfig): BigInt64Array {
  const out = trackId.slice();
  if (!config.enabled) return out;
  const n = hits.hitId.length;
  const t = trackGroups(trackId);
  const dist3 = distancesFromOrigin(hits);
  const layerKey = (r: number) => hits.volumeId[r] * 256 + hits.layerId[r];

  // Anchors: every hit of every track of ≥ minHits hits (a forward particle can leave three hits on one pixel disk;
  // anchors on a layer the track already touches twice pick up the third).
  const anchorRow: number[] = [];
  const anchorDir: number[] = []; // ux, uy, uz per anchor
  const anchorPhi: number[] = [];
  const anchorsOfLayer = new Map<number, number[]>();
  for (const rows of rowsOfTracks(t, config.minHits)) {
    rows.sort((a, b) => dist3[a] - dist3[b]);
    for (let i = 0; i < rows.length; i++) {
      const s = rows[i];
      const key = layerKey(s);
      // Direction: between the nearest hits on other layers inside and outside (central difference), or one-sided
      // at the ends. Two hits on one layer lie a few mm apart and would give a poor direction.
      let ia = i - 1;
      while (ia > 0 && layerKey(rows[ia]) === key) ia--;
      let ib = i + 1;
      while (ib < rows.length - 1 && layerKey(rows[ib]) === key) ib++;
      const a = rows[Math.max(0, ia)];
      const b = rows[Math.min(rows.length - 1, ib)];
      const ux = hits.x[b] - hits.x[a];
      const uy = hits.y[b] - hits.y[a];
      const uz = hits.z[b] - hits.z[a];
      const norm = Math.sqrt(ux * ux + uy * uy + uz * uz);
      if (!(norm > 0)) continue;
      const list = anchorsOfLayer.get(key);
      if (list) list.push(anchorRow.length);
      else anchorsOfLayer.set(key, [anchorRow.length]);
      anchorRow.push(s);
      anchorDir.push(ux / norm, uy / norm, uz / norm);
      anchorPhi.push(Math.atan2(hits.y[s], hits.x[s]));
    }
  }
  // Per layer: anchor indices sorted by φ, and their φ.
  const layers = new Map<number, { anchors: Int32Array; phi: Float64Array }>();
  for (const [key, list] of anchorsOfLayer) {
    list.sort((i, j) => anchorPhi[i] - anchorPhi[j]);
    layers.set(key, { anchors: Int32Array.from(list), phi: Float64Array.from(list, (k) => anchorPhi[k]) });
  }

  // Candidate pairs (free hit, anchor) inside the windows, then the closest pairs first, one per hit and anchor.
  const pairFree: number[] = [];
  const pairAnchor: number[] = [];
  const pairAcross: number[] = [];
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
        const row = anchorRow[a];
        const dx = hits.x[f] - hits.x[row];
        const dy = hits.y[f] - hits.y[row];
        const dz = hits.z[f] - hits.z[row];
        // The two hits are at most `reach` apart: most anchors in a wide φ window fail on one coordinate.
        if (Math.abs(dz) > reach || Math.abs(dx) > reach || Math.abs(dy) > reach) continue;
        const ux = anchorDir[3 * a], uy = anchorDir[3 * a + 1], uz = anchorDir[3 * a + 2];
        const along = dx * ux + dy * uy + dz * uz;
        if (Math.abs(along) > config.alongMm) continue;
        const ax = dx - along * ux;
        const ay = dy - along * uy;
        const az = dz - along * uz;
        const across = Math.sqrt(ax * ax + ay * ay + az * az);
        if (across > acrossMax) continue;
        pairFree.push(f);
        pairAnchor.push(row);
        pairAcross.push(across / acrossMax);
      }
    }
  }
  const order = Array.from(pairFree.keys()).sort((i, j) => pairAcross[i] - pairAcross[j]);
  const usedAnchor = new Uint8Array(n);
  const usedFree = new Uint8Array(n);
  for (const i of order) {
    const f = pairFree[i];
    const a = pairAnchor[i];
    if (usedAnchor[a] || usedFree[f]) continue;
    usedAnchor[a] = usedFree[f] = 1;
    out[f] = trackId[a];
  }
  return out;
}
