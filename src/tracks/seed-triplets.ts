// The seeding layer triplets of an event (src/tracks/seeds.ts): which pixel layers the seed search (seed-search.ts)
// runs on, inner to outer, in the order it visits them. Moved out of seed-search.ts (500-line limit), unchanged.
import type { HitIndex } from './hit-index.ts';

/** A pixel layer: volume and layer id. */
export type LayerKey = readonly [volume: number, layer: number];

const PIXEL_BARREL = 8;

/** Seeding layer triplets of an event: on the pixel barrel, consecutive layers (and, with `skips`, ones that skip a
 * layer); on each side's disks (ordered by |z|), the same; and from the first barrel layers to the first disks. */
export function seedingTriplets(idx: HitIndex, disks: boolean, skips = true): [LayerKey, LayerKey, LayerKey][] {
  const out: [LayerKey, LayerKey, LayerKey][] = [];
  const of = (ls: LayerKey[]) => {
    for (let i = 0; i + 2 < ls.length; i++) out.push([ls[i], ls[i + 1], ls[i + 2]]);
    if (skips) for (let i = 0; i + 3 < ls.length; i++) out.push([ls[i], ls[i + 1], ls[i + 3]], [ls[i], ls[i + 2], ls[i + 3]]);
  };
  // Layers present in the event, ordered outwards (by mean radius on the barrel, mean |z| on disks; sums in row order).
  const nLayers = idx.layerKey.length;
  const sum = new Float64Array(nLayers);
  const count = new Int32Array(nLayers);
  const { z } = idx.hits;
  for (let r = 0; r < idx.layerOf.length; r++) {
    const l = idx.layerOf[r];
    if (l < 0) continue;
    const v = idx.layerKey[l] >> 8;
    if (v !== PIXEL_BARREL && !(disks && (v === 7 || v === 9))) continue;
    sum[l] += v === PIXEL_BARREL ? idx.rT[r] : Math.abs(z[r]);
    count[l]++;
  }
  const ordered = (v: number): LayerKey[] => {
    const ls: number[] = [];
    for (let l = 0; l < nLayers; l++) if (count[l] > 0 && idx.layerKey[l] >> 8 === v) ls.push(l);
    return ls.sort((p, q) => sum[p] / count[p] - sum[q] / count[q]).map((l) => [v, idx.layerKey[l] & 255] as const);
  };
  const barrel = ordered(PIXEL_BARREL);
  of(barrel);
  if (!disks) return out;
  for (const v of [7, 9]) {
    const d = ordered(v);
    of(d);
    // Barrel to disks (|η| ≈ 1.8–2.5): the first barrel layers, then the first disks.
    if (barrel.length >= 2 && d.length >= 2)
      out.push([barrel[0], barrel[1], d[0]], [barrel[0], d[0], d[1]], [barrel[1], d[0], d[1]], [barrel[0], barrel[1], d[1]]);
  }
  return out;
}
