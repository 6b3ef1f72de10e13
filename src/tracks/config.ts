// Settings of the track builder's steps after the graph: the helix walk's windows (strip extension, seeded tracks,
// inward pixel hits) and the seed search. Defaults are the tuned values; how they were chosen: docs/tuning.md,
// section "Track builder".
import { z } from 'zod';

export const extendConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Tracks with at least this many hits are extended. */
  minHits: z.number().int().min(2).default(3),
  /** Window across the strips (r·Δφ), mm, on the short (13) and long (17) strip barrel layers. Residuals of true
   * strip hits to the helix of a pixel-only track, simulated MU = 200: across 50/80/90 % at 0.5/2/5 mm (short)
   * and 4/12/25 mm (long); along 0.4/1/1.7 mm (short) and 3.5/7/12 mm (long). Windows at ~85 % keep 97 %
   * of the added hits right. The short-strip window is this plus shortAcrossGrowth's share. */
  shortAcrossMm: z.number().positive().default(3),
  longAcrossMm: z.number().positive().default(12),
  /** The same on the strip disks (endcap volumes 12, 14, 16, 18). Wider than in the barrel: on the real 5 % sample the
   * next true hit of a prompt particle lies across its helix by 8 mm (short-strip disks) and 55 mm (long-strip
   * disks) at 90 %, against 2 and 6 mm in our simulated events (whose endcap strip hits are too precise); 5 and 20
   * mm instead of 3 and 12 raised the real sample's score 0.855 → 0.868 for −0.001 on simulated events. */
  shortDiskAcrossMm: z.number().positive().default(5),
  longDiskAcrossMm: z.number().positive().default(20),
  /** The short-strip across window grows by this many mm per metre flown since the track's outermost hit, times
   * 1/pT (GeV⁻¹) of its helix: residuals of true next hits to the helix of a particle's earlier hits (simulated
   * MU = 200) scale as distance / pT, at 90 % ≈ 6 mm per m·GeV⁻¹ in the short strips. 3 mm + 10 instead of a fixed
   * 5 mm raised the score 0.859 → 0.867 on npm start's events, 0.860 → 0.866 on the pipeline benchmark's (real
   * sample 0.833 → 0.836); a growing pixel window (seeds) or long-strip window did not help. */
  shortAcrossGrowth: z.number().min(0).default(10),
  /** Window along the strips (Δz in the barrel, Δr in the endcaps), mm. The residuals above are of pT > 1 pixel
   * tracks; the seeded tracks of slower particles scatter more, and on simulated MU = 200 events (npm start's) a short
   * strip window of 10 mm instead of 4 raised the score 0.815 → 0.843 (fake rate of pT > 1 tracks 0.0044 → 0.0052;
   * 12 mm: 0.844 at 0.0072; 10 mm for the seeded tracks only, 4 for the GNN's: 0.838 at 0.0064). */
  shortAlongMm: z.number().positive().default(10),
  longAlongMm: z.number().positive().default(12),
  /** Hits per layer (cheapest first) tried with one layer of lookahead before one is taken. */
  lookaheadCandidates: z.number().int().min(1).max(16).default(4),
  /** After the seeds: tracks take free pixel hits on layers their helix crosses before their innermost hit, and in
   * the holes between their pixel hits (extendInwards), within this window (across, along), mm. Simulated MU = 200:
   * score +0.004 (inside), +0.002 (holes). */
  inwards: z.boolean().default(true),
  inwardsAcrossMm: z.number().positive().default(2),
  inwardsAlongMm: z.number().positive().default(4),
});
export type ExtendConfig = z.output<typeof extendConfigSchema>;

export const seedConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Lowest transverse momentum a seed may have (its helix radius), GeV. Below the lowest pT of the particles that
   * leave hits (~0.15 GeV): the radius of a three-hit circle is uncertain, most of all over the short transverse lever
   * arm of forward tracks (0.15 → 0.12: score +0.003 on simulated MU = 200 events; 0.10: no better). */
  minPtGeV: z.number().positive().default(0.12),
  /** Largest distance of the seed's circle from the beam axis, mm. Secondaries carry 9 % of the real sample's score
   * weight (4 % in our simulated events): 2 → 5 mm raised the real sample's score 0.844 → 0.855 (pT > 1 efficiency
   * 0.907 → 0.926), simulated events +0.001. */
  maxD0Mm: z.number().positive().default(5),
  /** After the prompt seeds, seeds of secondaries from the hits left (consecutive layers only): circles passing the
   * beam axis at more than maxD0Mm and up to this, followed with a helix that need not pass the beamline and kept
   * with at least displacedMinHits hits (0: no such round). With truth seeds the general helix follows 90 % of the
   * simulated secondaries born within 30 mm of the axis into majority tracks (48 % with the beamline helix).
   * 15 mm and 8 hits: score +0.0025 on both simulated sets, +0.004 on the real sample, ~0.1 s more per event;
   * 6 hits or 50 mm: real sample up to +0.011 but simulated events −0.007 (fake tracks in MU = 200 events). */
  displacedMaxD0Mm: z.number().min(0).default(15),
  displacedMinHits: z.number().int().min(3).default(8),
  /** Largest |z| where the line through the seed's first two hits meets the beam axis, mm. */
  maxZ0Mm: z.number().positive().default(200),
  /** Largest residual of the third hit from the line through the first two in (r, z), along its layer (z on the
   * barrel, r on a disk), mm. */
  maxDzMm: z.number().positive().default(3),
  /** Hits of tracks with at most this many hits count as free (seeds and their walks may take them): the short
   * tracks left by the GNN stage are mostly fragments and fakes (on simulated MU = 200 events the score rose from 1
   * to 6, 0.694 → 0.728; with the later builder steps 6 → 8 gives +0.003 on simulated events and +0.004 on the real
   * sample, 7 or 10 less). */
  freeTrackHits: z.number().int().min(1).default(8),
  /** Seeds kept per middle hit (the best by quality); the rest through that hit are mostly combinatorial fakes. */
  seedsPerHit: z.number().int().min(1).default(4),
  /** Also seed from layer triplets that skip one layer (particles with a missing hit): +0.01 in score on simulated
   * MU = 200 events for ~40 % more seeding time when there was one round; off by default since the late round
   * (tracks.late, on the hits left single) does it: there it finds what they found here with fewer wrong seeds
   * (npm start's events, before the hole filling: 0.897 with them in the late round only, 0.896 in both, which took
   * 40 % longer). */
  skipLayerTriplets: z.boolean().default(false),
  /** A followed seed becomes a track with at least this many hits (else its hits are left free). */
  minHits: z.number().int().min(3).default(6),
  /** A followed seed whose hits all lie in the pixel detector becomes a track from this many hits (omitted: minHits;
   * the late round, tracks.late, sets it). */
  pixelOnlyMinHits: z.number().int().min(3).optional(),
  /** A seed whose first walk finds at least this many hits becomes a track at once (best seeds first); the shorter
   * walks are then kept longest first, each followed again against the hits taken since (at or below minHits: every
   * walk is kept at once, best seed first). Two passes (≥ 9 hits first, then the rest) raised the score 0.788 → 0.795
   * and let minHits go down to 6; longest first instead of the second pass: 0.872 → 0.878 (npm start's events),
   * 0.872 → 0.880 (the pipeline benchmark's), fake rate of all tracks 0.031 → 0.024. A higher value orders more walks
   * by length and costs time: 11 gives 0.880 / 0.882 for ~40 % more track-building time, 9 gives 0.875 / 0.876. */
  longFirstHits: z.number().int().min(3).default(10),
  /** Windows on pixel layers while following (across: r·Δφ; along: Δz in the barrel, Δr on disks), mm. Across 0.5
   * instead of 1 mm: fewer wrong hits taken at MU = 200 (score 0.853 → 0.859 on npm start's events, 0.854 → 0.860 on
   * the pipeline benchmark's, fake rate of all tracks 0.027 → 0.022; the sparse real 5 % sample 0.836 → 0.833 alone,
   * 0.836 with the short strips' growing window). */
  pixelAcrossMm: z.number().positive().default(0.5),
  pixelAlongMm: z.number().positive().default(2),
  /** Seed on the pixel disks too (else the barrel only). */
  disks: z.boolean().default(true),
  /** A seed is given up when its helix crosses this many layers beyond the seed without finding a hit. */
  maxMisses: z.number().int().min(0).default(3),
});
export type SeedConfig = z.output<typeof seedConfigSchema>;
