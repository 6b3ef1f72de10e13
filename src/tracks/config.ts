// Settings of the track builder's steps after the graph: the helix walk's windows (strip extension, seeded tracks,
// inward pixel hits) and the seed search. Defaults are the tuned values; how they were chosen: docs/tuning.md,
// section "Track builder".
import { z } from 'zod';

export const extendConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Tracks with at least this many hits are extended. */
  minHits: z.number().int().min(2).default(3),
  /** Window across the strips (r·Δφ), mm, on the short (13) and long (17) strip barrel layers: about 85 % of true
   * hits' residuals. The short-strip window is this plus shortAcrossGrowth's share. */
  shortAcrossMm: z.number().positive().default(3),
  longAcrossMm: z.number().positive().default(12),
  /** The same on the strip disks (endcap volumes 12, 14, 16, 18): wider than in the barrel, as real endcap strip
   * hits lie farther off a particle's helix than simulated ones (10 / 50 mm: docs/tuning.md, chosen on simulated
   * MU = 200 events, 5 % simulated subsets and the real sample together). */
  shortDiskAcrossMm: z.number().positive().default(10),
  longDiskAcrossMm: z.number().positive().default(50),
  /** The short-strip across window grows by this many mm per metre flown since the track's outermost hit, times
   * 1/pT (GeV⁻¹) of its helix (true hits' residuals scale as distance / pT). */
  shortAcrossGrowth: z.number().min(0).default(10),
  /** Window along the strips (Δz in the barrel, Δr in the endcaps), mm: short and long strips. */
  shortAlongMm: z.number().positive().default(10),
  longAlongMm: z.number().positive().default(12),
  /** Hits per layer (cheapest first) tried with one layer of lookahead before one is taken. */
  lookaheadCandidates: z.number().int().min(1).max(16).default(2),
  /** After the seeds: tracks take free pixel hits on layers their helix crosses before their innermost hit, and in
   * the holes between their pixel hits (fillInwards), within this window (across, along), mm. */
  inwards: z.boolean().default(true),
  inwardsAcrossMm: z.number().positive().default(2),
  inwardsAlongMm: z.number().positive().default(4),
});
export type ExtendConfig = z.output<typeof extendConfigSchema>;

export const seedConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Lowest transverse momentum a seed may have (its helix radius), GeV: below the lowest pT of the particles that
   * leave hits (~0.15 GeV), as a three-hit circle's radius is uncertain. */
  minPtGeV: z.number().positive().default(0.12),
  /** Largest distance of the seed's circle from the beam axis, mm (prompt seeds). */
  maxD0Mm: z.number().positive().default(5),
  /** After the prompt seeds, seeds of secondaries from the hits left (consecutive layers only): circles passing the
   * beam axis at more than maxD0Mm and up to this (mm), followed with a helix that need not pass the beamline and kept
   * with at least displacedMinHits hits (0: no such round). */
  displacedMaxD0Mm: z.number().min(0).default(15),
  displacedMinHits: z.number().int().min(3).default(8),
  /** Largest |z| where the line through the seed's first two hits meets the beam axis, mm. */
  maxZ0Mm: z.number().positive().default(200),
  /** Largest residual of the third hit from the line through the first two in (r, z), along its layer (z on the
   * barrel, r on a disk), mm. */
  maxDzMm: z.number().positive().default(3),
  /** Hits of tracks with at most this many hits count as free (seeds and their walks may take them): the short
   * tracks left by the GNN stage are mostly fragments and fakes. */
  freeTrackHits: z.number().int().min(1).default(8),
  /** Seeds kept per middle hit (the best by quality); the rest through that hit are mostly combinatorial fakes. */
  seedsPerHit: z.number().int().min(1).default(2),
  /** Also seed from layer triplets that skip one layer (particles with a missing hit); off by default since the late
   * round (tracks.late, on the hits left single) does it with fewer wrong seeds. */
  skipLayerTriplets: z.boolean().default(false),
  /** A followed seed becomes a track with at least this many hits (else its hits are left free). */
  minHits: z.number().int().min(3).default(6),
  /** A followed seed whose hits all lie in the pixel detector becomes a track from this many hits (omitted: minHits;
   * the late round, tracks.late, sets it). */
  pixelOnlyMinHits: z.number().int().min(3).optional(),
  /** A seed whose first walk finds at least this many hits becomes a track at once (best seeds first); the shorter
   * walks are then kept longest first, each followed again against the hits taken since (at or below minHits: every
   * walk is kept at once, best seed first). Higher orders more walks by length and costs time. */
  longFirstHits: z.number().int().min(3).default(10),
  /** While the first walks are made (best seeds first), a seed whose three hits all lie on one shorter walk already
   * queued is not followed: mostly the same particle seeded on another layer triplet, whose walk would repeat the
   * queued one (that walk is followed again, longest first, and takes those hits). ~16 % fewer walks. */
  skipSeedsOnQueuedWalks: z.boolean().default(true),
  /** Windows on pixel layers while following (across: r·Δφ; along: Δz in the barrel, Δr on disks), mm. */
  pixelAcrossMm: z.number().positive().default(0.5),
  pixelAlongMm: z.number().positive().default(2),
  /** Seed on the pixel disks too (else the barrel only). */
  disks: z.boolean().default(true),
  /** A seed is given up when its helix crosses this many layers beyond the seed without finding a hit. */
  maxMisses: z.number().int().min(0).default(3),
  /** Once it has taken a hit, a seed's walk stops after this many layers in a row that its helix crosses without a
   * hit taken — the seed's own layers count when the walk took a hit inside them first (a particle rarely leaves so
   * long a gap; a fake walks on through every later layer otherwise). */
  maxGap: z.number().int().min(0).default(5),
});
export type SeedConfig = z.output<typeof seedConfigSchema>;
