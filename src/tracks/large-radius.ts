// Large-radius tracking (ATLAS LRT, the TrackML winners' second pass): after every other step, the hits still single
// (no track holds them) are seeded again with triplets that do not assume the beam line — outer pixel barrel layers
// and the short-strip barrel, pixel and short-strip disks, and barrel-to-disk transitions — with a loose transverse
// impact parameter (d0) and z0 window, followed by the same helix walk as the seeds (a helix that need not pass the
// beamline) and kept only with strict quality: enough hits on enough distinct layers, and short tracks close to their
// fitted circle. Seeds judge z along the arc of their circle (soft secondaries curl). On the real sample every
// particle of pT ≥ 1 GeV the earlier steps miss is born at r ≥ 30 mm with all its hits left single (docs/tuning.md).
import { z } from 'zod';
import { type ExtendConfig, type SeedConfig } from './config.ts';
import { stripWindows } from './extend.ts';
import { walkLayers } from './helix-walk.ts';
import { layerViews, PIXEL_VOLUMES, TRACKER_VOLUMES, type HitIndex, type LayerView } from './hit-index.ts';
import { findSeeds, SeedList, type SeedCuts } from './seed-search.ts';
import { SeedWalks, type SearchTimer } from './seeds.ts';
import { freeRows, maxId } from './track-ids.ts';
import { fitCircle } from './track-params.ts';

export const largeRadiusConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Largest distance of a seed's circle from the beam axis, mm (secondaries of decays and interactions up to the
   * short strips). */
  maxD0Mm: z.number().positive().default(50),
  /** Largest |z| where the (r, z) line through a seed's first two hits meets the beam axis, mm. */
  maxZ0Mm: z.number().positive().default(200),
  /** The barrel chain starts at this pixel barrel layer id (4, 6, 8: the second to fourth layer). */
  firstPixelLayer: z.number().int().min(2).default(6),
  /** Lowest pT of a seed's circle, GeV: secondaries (conversions, interaction and decay products) are soft — with the
   * fit-quality cut below, 0.2 instead of 0.4 found more on simulated and real events alike at no more fakes. */
  minPtGeV: z.number().positive().default(0.2),
  /** Largest residual of the third hit from the (r, z) line of the first two, along its layer, mm. */
  maxDzMm: z.number().positive().default(1.5),
  /** Judge a seed's third hit against z linear in the arc length along its circle, not in r (a soft secondary's hits
   * leave the straight (r, z) line by millimetres: the 1.5 mm cut lost most below ~0.3 GeV). */
  arcDz: z.boolean().default(true),
  /** Seeds kept per middle hit, best first. */
  seedsPerHit: z.number().int().min(1).default(1),
  /** A followed seed becomes a track with at least this many hits on at least minLayers distinct layers. */
  minHits: z.number().int().min(3).default(6),
  minLayers: z.number().int().min(3).default(5),
  /** A seed is given up when its helix crosses this many layers beyond the seed without finding a hit. */
  maxMisses: z.number().int().min(0).default(1),
  /** A track of at most qualityMaxHits hits is kept only when its hits lie within maxCircleRmsMm (rms, transverse) of
   * the circle that fits them best (0: no such cut): on simulated MU = 200 events 235 of this pass's 251 fakes (hits
   * of two particles on one walk) had 6–7 hits, two thirds of them > 1.5 mm off their circle; 71 % of the true 6–7-hit
   * tracks lay within it (docs/tuning.md). */
  qualityMaxHits: z.number().int().min(0).default(7),
  maxCircleRmsMm: z.number().positive().default(1.5),
});
export type LargeRadiusConfig = z.output<typeof largeRadiusConfigSchema>;

type Triplet = [LayerView, LayerView, LayerView];

/** Seeding layer triplets of the free hits' layers (see the file comment): consecutive layers of the barrel chain
 * (pixel layers 2–4, then the short-strip barrel layers: the long strips measure z too coarsely to seed), of each
 * side's pixel disks and of its short-strip disks, and from each pair of consecutive barrel layers to the first two
 * disks of each side (pixel disks from two pixel layers, short-strip disks otherwise). */
export function largeRadiusTriplets(views: readonly LayerView[], firstPixelLayer: number): Triplet[] {
  const vol = (l: LayerView) => l.key >> 8;
  const barrel = views.filter((l) => (vol(l) === 8 && (l.key & 255) >= firstPixelLayer) || vol(l) === 13).sort((p, q) => p.meanR - q.meanR);
  const out: Triplet[] = [];
  const chain = (ls: LayerView[]) => {
    for (let i = 0; i + 2 < ls.length; i++) out.push([ls[i], ls[i + 1], ls[i + 2]]);
  };
  chain(barrel);
  for (const side of [-1, 1]) {
    const disks = (vols: number[]) =>
      views
        .filter((l) => !l.barrel && vols.includes(vol(l)) && Math.sign(l.meanZ) === side)
        .sort((p, q) => Math.abs(p.meanZ) - Math.abs(q.meanZ));
    const pixel = disks([7, 9]);
    const strip = disks([12, 14]);
    chain(pixel);
    chain(strip);
    for (let i = 0; i + 1 < barrel.length; i++) {
      if (vol(barrel[i + 1]) !== 13) continue;
      const d = strip;
      if (d.length < 2) continue;
      const [b0, b1] = [barrel[i], barrel[i + 1]];
      out.push([b0, b1, d[0]], [b0, d[0], d[1]], [b1, d[0], d[1]], [b0, b1, d[1]]);
    }
  }
  return out;
}

/** New track ids (step ids): tracks of the single hits seeded without the beam line (see the file comment). */
export function largeRadiusTracks(
  idx: HitIndex,
  ids: Int32Array,
  config: LargeRadiusConfig,
  seeds: SeedConfig,
  extend: ExtendConfig,
  timer?: SearchTimer,
): Int32Array {
  const out = ids.slice();
  if (!config.enabled) return out;
  const { free, claimed } = freeRows(ids, 1);
  const views = layerViews(idx, free, TRACKER_VOLUMES, (v) =>
    PIXEL_VOLUMES.has(v) ? { acrossMm: seeds.pixelAcrossMm, alongMm: seeds.pixelAlongMm } : stripWindows(v, extend),
  );
  const t0 = timer?.clock() ?? 0;
  // In displaced mode the search keeps circles with maxD0Mm < d0 ≤ displacedMaxD0Mm: 0 below, so prompt particles'
  // leftovers are seeded too.
  const cuts: SeedCuts = {
    minPtGeV: config.minPtGeV,
    maxD0Mm: 0,
    displacedMaxD0Mm: config.maxD0Mm,
    maxZ0Mm: config.maxZ0Mm,
    maxDzMm: config.maxDzMm,
    seedsPerHit: config.seedsPerHit,
  };
  const found = new SeedList();
  for (const [A, B, C] of largeRadiusTriplets(views, config.firstPixelLayer))
    findSeeds(idx, A, B, C, cuts, config.arcDz ? 'arc' : true, found);
  const list = found.sorted();
  if (timer) timer.ms['large-radius search'] = (timer.ms['large-radius search'] ?? 0) + timer.clock() - t0;
  const walkConfig: SeedConfig = { ...seeds, maxMisses: config.maxMisses, longFirstHits: Math.max(config.minHits, seeds.longFirstHits) };
  const walks = new SeedWalks(idx, walkLayers(views), claimed, out, maxId(ids), walkConfig, extend.lookaheadCandidates);
  walks.select(
    list,
    true,
    config.minHits,
    config.minHits,
    (track) =>
      distinctLayers(idx, track) >= config.minLayers &&
      (track.length > config.qualityMaxHits || circleRmsMm(idx, track) <= config.maxCircleRmsMm),
  );
  return out;
}

/** Number of distinct layers among the rows. */
function distinctLayers(idx: HitIndex, rows: readonly number[]): number {
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = idx.layerOf[rows[j]] === idx.layerOf[rows[i]];
    if (!seen) count++;
  }
  return count;
}

/** Rms transverse distance (mm) of the rows' hits from the circle that fits them best (the Kåsa fit of
 * track-params.ts); Infinity when they lie on a line. */
export function circleRmsMm(idx: HitIndex, rows: readonly number[]): number {
  const { x, y } = idx.hits;
  const xs = rows.map((r) => x[r]),
    ys = rows.map((r) => y[r]);
  const circle = fitCircle(xs, ys);
  if (!circle) return Infinity;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) {
    const dr = Math.hypot(xs[i] - circle.cx, ys[i] - circle.cy) - circle.r;
    ss += dr * dr;
  }
  return Math.sqrt(ss / xs.length);
}
