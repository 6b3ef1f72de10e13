// Extends tracks found in the pixel detector into the strip layers: a helix through the beamline and the track's
// hits is walked outwards layer by layer (src/tracks/helix-walk.ts) and the best unclaimed strip hit inside a window
// joins the track (then the helix is refitted through it). Pixel-only graphs leave strip hits as single-hit tracks;
// this recovers them. Later, tracks also take free pixel hits their helix crosses inside their innermost hit and in
// the holes between their pixel hits (extendInwards).
import type { Hits } from '../trackml/types.ts';
import { extendConfigSchema, type ExtendConfig } from './config.ts';
import { arcTo, fitHelix, Helix, outlier } from './helix-fit.ts';
import { arcLengthTo, closestHit, followHelix, walkAdded, walkLayers } from './helix-walk.ts';
import { BARREL_VOLUMES, buildHitIndex, layerViews, PIXEL_VOLUMES, STRIP_VOLUMES, type HitIndex, type LayerWindows } from './hit-index.ts';
import { singleHits, toStepIds, trackRowsBy, trackSizes, type TrackRows } from './track-ids.ts';

export { extendConfigSchema, type ExtendConfig };

/** Windows of a strip volume (12–14 short, 16–18 long strips). */
export function stripWindows(volume: number, config: ExtendConfig): LayerWindows {
  const disk = !BARREL_VOLUMES.has(volume);
  return volume >= 16
    ? { acrossMm: disk ? config.longDiskAcrossMm : config.longAcrossMm, alongMm: config.longAlongMm }
    : {
        acrossMm: disk ? config.shortDiskAcrossMm : config.shortAcrossMm,
        alongMm: config.shortAlongMm,
        acrossGrowth: config.shortAcrossGrowth,
      };
}

/** Longest tracks first (they have the best helices and the best claim on a contested hit; ties in order of their first
 * row), each track's rows sorted by distance from the origin: track k of the order is rows[start[order[k]] ..
 * start[order[k] + 1]) (trackRowsBy, then a counting sort by length, stable). */
function tracksLongestFirst(idx: HitIndex, ids: Int32Array, size: Int32Array, minHits: number): TrackRows & { order: Int32Array } {
  const tracks = trackRowsBy(ids, size, minHits, idx.d3);
  const { count, start } = tracks;
  let longest = 0;
  for (let t = 0; t < count; t++) longest = Math.max(longest, start[t + 1] - start[t]);
  // byLength[L]: first slot of the tracks one shorter than L (longest first).
  const byLength = new Int32Array(longest + 2);
  for (let t = 0; t < count; t++) byLength[longest - (start[t + 1] - start[t]) + 1]++;
  for (let L = 0; L <= longest; L++) byLength[L + 1] += byLength[L];
  const order = new Int32Array(count);
  for (let t = 0; t < count; t++) order[byLength[longest - (start[t + 1] - start[t])]++] = t;
  return { ...tracks, order };
}

/** Track k of tracksLongestFirst's order copied into the reused `into` (the walk inserts into it). */
function trackOf(tracks: TrackRows & { order: Int32Array }, k: number, into: number[]): number[] {
  const t = tracks.order[k];
  into.length = 0;
  for (let i = tracks.start[t]; i < tracks.start[t + 1]; i++) into.push(tracks.rows[i]);
  return into;
}
const trackBuf: number[] = [];

/** New step ids: tracks with ≥ minHits hits take strip hits that are single-hit tracks. */
export function extendTracks(idx: HitIndex, ids: Int32Array, config: ExtendConfig): Int32Array {
  const out = ids.slice();
  if (!config.enabled) return out;
  const size = trackSizes(ids);
  const layers = walkLayers(layerViews(idx, singleHits(ids, size), STRIP_VOLUMES, (vol) => stripWindows(vol, config)));
  const claimed = new Uint8Array(ids.length);
  const tracks = tracksLongestFirst(idx, ids, size, config.minHits);
  for (let k = 0; k < tracks.count; k++) {
    const rows = trackOf(tracks, k, trackBuf);
    const id = ids[rows[0]];
    const added = followHelix(idx, rows, layers, claimed, config.lookaheadCandidates);
    for (let k = 0; k < added; k++) out[walkAdded[k]] = id;
  }
  return out;
}

/** Returns new track ids: tracks with ≥ minHits hits take strip hits that are single-hit tracks. */
export function extendIntoStrips(hits: Hits, trackId: BigInt64Array, config: ExtendConfig): BigInt64Array {
  if (!config.enabled) return trackId.slice();
  const step = toStepIds(trackId);
  return step.back(extendTracks(buildHitIndex(hits), step.ids, config));
}

const inwardHelix = new Helix();

/** New step ids: tracks with ≥ minHits hits take, on each pixel layer their helix crosses before their innermost hit,
 * the closest single-hit track inside the window (pixel hits a track's first edges or its seed missed: the walks only
 * go outwards), and the same on pixel layers between their pixel hits that they hold no hit on (a graph track's
 * missing edge). */
export function fillInwards(idx: HitIndex, ids: Int32Array, minHits: number, window: { acrossMm: number; alongMm: number }): Int32Array {
  const out = ids.slice();
  const size = trackSizes(ids);
  const layers = layerViews(idx, singleHits(ids, size), PIXEL_VOLUMES, () => window);
  if (layers.length === 0) return out;
  const { rT } = idx;
  const { volumeId, layerId } = idx.hits;
  const claimed = new Uint8Array(ids.length);
  const helix = inwardHelix;
  const tracks = tracksLongestFirst(idx, ids, size, minHits);
  for (let k = 0; k < tracks.count; k++) {
    const rows = trackOf(tracks, k, trackBuf);
    if (!fitHelix(idx, rows, outlier(idx, rows), false, helix)) continue;
    const first = rows[0];
    // Arc lengths of the innermost hit and of the outermost pixel hit; a layer counts as inside when the helix
    // reaches it 1 mm or more before.
    const sFirst = arcTo(rT[first], helix.rc);
    let sLastPixel = sFirst;
    for (const r of rows) if (PIXEL_VOLUMES.has(volumeId[r])) sLastPixel = Math.max(sLastPixel, arcTo(rT[r], helix.rc));
    for (const l of layers) {
      const sk = arcLengthTo(helix, l);
      if (!(sk > 0) || !(sk < sLastPixel - 1)) continue;
      // Between the track's pixel hits: only a layer the track holds no hit on (a hole; the overlap step handles
      // second hits).
      if (!(sk < sFirst - 1)) {
        let holds = false;
        for (const r of rows) if (volumeId[r] * 256 + layerId[r] === l.key) holds = true;
        if (holds) continue;
      }
      const row = closestHit(helix, l, sFirst, claimed);
      if (row < 0) continue;
      claimed[row] = 1;
      out[row] = ids[first];
    }
  }
  return out;
}

/** fillInwards on 64-bit track ids. */
export function extendInwards(
  hits: Hits,
  trackId: BigInt64Array,
  minHits: number,
  window: { acrossMm: number; alongMm: number },
): BigInt64Array {
  const step = toStepIds(trackId);
  return step.back(fillInwards(buildHitIndex(hits), step.ids, minHits, window));
}
