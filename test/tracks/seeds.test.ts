// Seeded tracks from free pixel hits, on hand-made helices among random hits: a prompt 0.6 GeV particle
// becomes one track across pixels and strips; too short, displaced or hits on longer tracks are left alone; a
// secondary is found in the displaced round, a 5-hit particle in the late round.
import { describe, expect, it } from 'vitest';
import type { Hits } from '../../src/trackml/types.ts';
import { buildEventTracks, extendConfigSchema, tracksConfig } from '../../src/tracks/index.ts';
import { findSeeds, seedAndFollow, seedConfigSchema } from '../../src/tracks/seeds.ts';
import { mulberry32 } from '../../src/core/random.ts';
import { BARREL_LAYERS, handHits, type HandHit } from './hand-graph.ts';

type P = HandHit;
const hitsOf = (points: P[]): Hits => handHits(points);

const LAYERS = BARREL_LAYERS;

/** Hits of a particle on a circle of radius rc (mm) whose closest approach to the beam axis is d0 (mm), starting
 * in direction phi0, with dz/ds = slope and z = z0 at the start. */
function particle(rc: number, phi0: number, slope: number, z0: number, d0 = 0, layers = LAYERS): P[] {
  // Start point at distance d0 from the origin, perpendicular to the direction; centre rc further along that normal.
  const sx = d0 * Math.cos(phi0 + Math.PI / 2);
  const sy = d0 * Math.sin(phi0 + Math.PI / 2);
  const cx = sx + rc * Math.cos(phi0 + Math.PI / 2);
  const cy = sy + rc * Math.sin(phi0 + Math.PI / 2);
  const start = Math.atan2(sy - cy, sx - cx);
  const out: P[] = [];
  for (const [vol, layer, radius] of layers) {
    // Turning angle t (counter-clockwise) where the circle reaches this radius, by bisection.
    let lo = 0;
    let hi = Math.PI;
    const at = (t: number) => [cx + rc * Math.cos(start + t), cy + rc * Math.sin(start + t)];
    if (Math.hypot(...at(hi)) < radius) break; // curls up before this layer
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (Math.hypot(...at(mid)) < radius) lo = mid;
      else hi = mid;
    }
    const [x, y] = at(lo);
    out.push({ x, y, z: z0 + slope * rc * lo, vol, layer });
  }
  return out;
}

/** Disks a forward particle crosses: pixel endcap (9) and short-strip endcap (14), z in mm. */
const DISKS: [number, number, number][] = [
  [9, 2, 600],
  [9, 4, 700],
  [9, 6, 820],
  [9, 8, 960],
  [9, 10, 1100],
  [9, 12, 1300],
  [9, 14, 1500],
  [14, 2, 1220],
  [14, 4, 1500],
  [14, 6, 1820],
  [14, 8, 2150],
  [14, 10, 2600],
  [14, 12, 2950],
].sort((a, b) => a[2] - b[2]) as [number, number, number][];

/** Hits of a prompt particle (circle of radius rc through the origin, leaving in direction phi0, z = slope × arc
 * length) on the disks it reaches within r < 1000 mm. */
function forwardParticle(rc: number, phi0: number, slope: number): P[] {
  const cx = rc * Math.cos(phi0 + Math.PI / 2);
  const cy = rc * Math.sin(phi0 + Math.PI / 2);
  const start = Math.atan2(-cy, -cx);
  return DISKS.map(([vol, layer, z]) => {
    const t = z / slope / rc; // turning angle at that z
    return { x: cx + rc * Math.cos(start + t), y: cy + rc * Math.sin(start + t), z, vol, layer };
  }).filter((p) => Math.hypot(p.x, p.y) < 1000 && Math.hypot(p.x, p.y) > 30);
}

function noise(n: number, seed: number): P[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const [vol, layer, radius] = LAYERS[Math.floor(rnd() * LAYERS.length)];
    const phi = rnd() * 2 * Math.PI - Math.PI;
    return { x: radius * Math.cos(phi), y: radius * Math.sin(phi), z: (rnd() - 0.5) * 1000, vol, layer };
  });
}

const seeds = seedConfigSchema.parse({});
const extend = extendConfigSchema.parse({});
const singletons = (n: number) => BigInt64Array.from({ length: n }, (_, i) => BigInt(i + 1));

describe('seedAndFollow', () => {
  it('turns a prompt 0.6 GeV particle among 300 random hits into one track of all its hits', () => {
    const track = particle(1000, 0.7, 0.4, 12);
    expect(track.length).toBe(10);
    const points = [...track, ...noise(300, 5)];
    const out = seedAndFollow(hitsOf(points), singletons(points.length), seeds, extend);
    const id = out[0];
    expect(Array.from(out.slice(0, 10))).toEqual(Array(10).fill(id));
    // No random hit joins it, and random hits make no track of their own.
    expect(Array.from(out.slice(10)).filter((t) => t === id)).toEqual([]);
    expect(new Set(out.slice(10)).size).toBe(300);
  });

  it('leaves a particle with fewer than minHits hits, one beyond maxD0Mm and hits on longer tracks alone', () => {
    const short = particle(1000, 2.0, -0.2, 0, 0, LAYERS.slice(0, 5)); // 5 hits < minHits 6
    const displaced = particle(1000, -1.0, 0.1, 0, 1); // 1 mm from the beam axis
    const taken = particle(1200, -2.5, 0.3, -20); // its 4 pixel hits already form a track
    const points = [...short, ...displaced, ...taken];
    const ids = singletons(points.length);
    const first = short.length + displaced.length;
    for (let i = first; i < first + 4; i++) ids[i] = 999n;
    // The short particle seeds (and is dropped after following); the displaced one does not seed at all.
    expect(
      findSeeds(hitsOf(short), () => true, seeds, [
        [8, 2],
        [8, 4],
        [8, 6],
      ]).length,
    ).toBe(1);
    const tight = seedConfigSchema.parse({ maxD0Mm: 0.5, freeTrackHits: 3, displacedMaxD0Mm: 0 });
    expect(
      findSeeds(hitsOf(displaced), () => true, seeds, [
        [8, 2],
        [8, 4],
        [8, 6],
      ]).length,
    ).toBe(1);
    expect(
      findSeeds(hitsOf(displaced), () => true, tight, [
        [8, 2],
        [8, 4],
        [8, 6],
      ]).length,
    ).toBe(0);
    const out = seedAndFollow(hitsOf(points), ids, tight, extend);
    expect(Array.from(out)).toEqual(Array.from(ids));
    // A track of at most freeTrackHits hits (default 6) gives its hits up: the particle becomes one whole track.
    const freed = seedAndFollow(hitsOf(points), ids, seedConfigSchema.parse({ maxD0Mm: 0.5, displacedMaxD0Mm: 0 }), extend);
    const t = freed.slice(first, first + taken.length);
    expect(new Set(t).size).toBe(1);
    expect(t[0]).not.toBe(999n);
    expect(Array.from(freed.slice(0, first))).toEqual(Array.from(ids.slice(0, first)));
  });

  it("applies each call's own maxZ0Mm (no setting carried over from the previous search)", () => {
    const far = particle(1000, 0.3, 0.2, 60, 0, LAYERS.slice(0, 4)); // line meets the beam axis at z ≈ 60 mm
    const triplet: [[number, number], [number, number], [number, number]] = [
      [8, 2],
      [8, 4],
      [8, 6],
    ];
    const wide = seedConfigSchema.parse({ maxZ0Mm: 100 });
    const tight = seedConfigSchema.parse({ maxZ0Mm: 30 });
    expect(findSeeds(hitsOf(far), () => true, wide, triplet).length).toBe(1);
    expect(findSeeds(hitsOf(far), () => true, tight, triplet).length).toBe(0);
    expect(findSeeds(hitsOf(far), () => true, wide, triplet).length).toBe(1);
  });

  it('follows a secondary (circle 10 mm from the beam axis) into one track in the displaced round only', () => {
    // Born at radius ~25 mm: all its hits lie beyond the vertex; 10 pixel and strip hits among random hits.
    const secondary = particle(1500, 0.9, 0.3, 40, 10);
    expect(secondary.length).toBe(10);
    const points = [...secondary, ...noise(300, 11)];
    const ids = singletons(points.length);
    const out = seedAndFollow(hitsOf(points), ids, seeds, extend);
    expect(new Set(out.slice(0, secondary.length)).size).toBe(1);
    expect(Array.from(out.slice(secondary.length)).filter((t) => t === out[0])).toEqual([]);
    // Without the round its seeds fail the prompt d0 cut (5 mm) and it stays single hits.
    const none = seedAndFollow(hitsOf(points), ids, seedConfigSchema.parse({ displacedMaxD0Mm: 0 }), extend);
    expect(Array.from(none)).toEqual(Array.from(ids));
  });

  it('finds a particle with a missing pixel layer from a triplet that skips it (skipLayerTriplets)', () => {
    const track = particle(900, 1.9, 0.1, 30).filter((p) => !(p.vol === 8 && p.layer === 4));
    // Layer 8:4 exists in the event (another particle's hit far away), so consecutive triplets need its hit.
    const points = [...track, { x: -72, y: 0, z: -300, vol: 8, layer: 4 }];
    const ids = singletons(points.length);
    const withSkips = seedAndFollow(hitsOf(points), ids, seedConfigSchema.parse({ skipLayerTriplets: true }), extend);
    expect(new Set(withSkips.slice(0, track.length)).size).toBe(1);
    const without = seedAndFollow(hitsOf(points), ids, seedConfigSchema.parse({ skipLayerTriplets: false }), extend);
    expect(Array.from(without)).toEqual(Array.from(ids));
  });

  it('seeds on the pixel disks: a forward 0.5 GeV particle (|η| ≈ 2.3) becomes one track', () => {
    const track = forwardParticle(833, 0.3, 5);
    expect(track.length).toBeGreaterThanOrEqual(9);
    const out = seedAndFollow(hitsOf(track), singletons(track.length), seeds, extend);
    expect(new Set(out).size).toBe(1);
    // Barrel-only seeding does not find it.
    const barrelOnly = seedConfigSchema.parse({ enabled: true, disks: false });
    expect(new Set(seedAndFollow(hitsOf(track), singletons(track.length), barrelOnly, extend)).size).toBe(track.length);
  });

  it('seeds across the barrel–disk transition (|η| ≈ 2.2: two barrel layers, then disks)', () => {
    const barrel = particle(1000, 1.2, 4.5, 0, 0, LAYERS.slice(0, 2));
    const disks = forwardParticle(1000, 1.2, 4.5).filter((p) => p.vol === 14 || Math.hypot(p.x, p.y) < 175);
    const track = [...barrel, ...disks];
    expect(track.filter((p) => p.vol === 9).length).toBe(2); // neither the barrel nor the disks alone hold a triplet
    const out = seedAndFollow(hitsOf(track), singletons(track.length), seeds, extend);
    expect(new Set(out).size).toBe(1);
  });

  it('keeps long walks first (longFirstHits, then longest first), so a short track cannot take their hits', () => {
    // L: a 10-hit particle. S: a 0.3 GeV particle whose circle crosses L's hit on layer 8:4 at a steeper angle (S has
    // no hit of its own there), 7 hits of its own. S's seed through L's hit is exact; L's seeds are not (its 8:6 hit is
    // 0.5 mm off), so S is followed first and would take the hit both of L's seeds need (without triplets that skip a
    // layer).
    const L = particle(1000, 0.7, 0.4, 12);
    L[2] = { ...L[2], z: L[2].z + 0.5 };
    const P = L[1];
    const phiP = Math.atan2(P.y, P.x);
    const rP = Math.hypot(P.x, P.y);
    const phi0S = phiP - Math.asin(rP / 1000);
    const z0S = P.z - 0.8 * 500 * 2 * Math.asin(rP / 1000);
    const S = particle(500, phi0S, 0.8, z0S, 0, LAYERS.slice(0, 8)).filter((p) => !(p.vol === 8 && p.layer === 4));
    expect(S.length).toBe(7);
    const points = [...L, ...S];
    const ids = singletons(points.length);
    const run = (longFirstHits: number) =>
      seedAndFollow(hitsOf(points), ids, seedConfigSchema.parse({ skipLayerTriplets: false, longFirstHits }), extend);
    // Every walk kept at once, best seed first (longFirstHits = minHits): S takes L's hit and L falls apart.
    const onePass = run(6);
    expect(onePass[1]).toBe(onePass[L.length]);
    expect(new Set(onePass.slice(0, L.length)).size).toBeGreaterThan(1);
    // L's 10-hit walk kept at once (longFirstHits 10), or both queued and the longer kept first (11): L is one track.
    for (const out of [run(10), run(11)]) {
      expect(new Set(out.slice(0, L.length)).size).toBe(1);
      expect(out.slice(L.length).includes(out[0])).toBe(false);
    }
  });

  it('skipSeedsOnQueuedWalks: a particle seeded on two layer triplets, shorter than longFirstHits, is one track either way', () => {
    // 8 hits: both seeds (8:2, 8:4, 8:6) and (8:4, 8:6, 8:8) find it; the first walk is queued (8 < longFirstHits), the
    // second seed lies on it and is not walked when the setting is on; its queued walk then takes all 8 hits.
    const eight = particle(1000, 0.4, 0.3, 5, 0, LAYERS.slice(0, 8));
    expect(eight.length).toBe(8);
    const points = [...eight, ...noise(200, 11)];
    for (const skipSeedsOnQueuedWalks of [true, false]) {
      const config = seedConfigSchema.parse({ skipSeedsOnQueuedWalks, displacedMaxD0Mm: 0 });
      expect(
        findSeeds(hitsOf(eight), () => true, config, [
          [8, 4],
          [8, 6],
          [8, 8],
        ]).length,
      ).toBe(1);
      const out = seedAndFollow(hitsOf(points), singletons(points.length), config, extend);
      expect(new Set(out.slice(0, 8)).size).toBe(1);
      expect(out.slice(8).includes(out[0])).toBe(false);
    }
  });

  it('maxGap: a walk stops after that many crossed layers in a row without a hit', () => {
    // Hits on the 4 pixel layers, none on the next two strip layers (13:2, 13:4: random hits elsewhere on them), then
    // hits on the 4 layers after.
    const all = particle(1000, 0.7, 0.4, 12);
    const gapped = [...all.slice(0, 4), ...all.slice(6)];
    const points = [...gapped, ...noise(300, 5)];
    const run = (maxGap: number) =>
      seedAndFollow(hitsOf(points), singletons(points.length), seedConfigSchema.parse({ maxGap, displacedMaxD0Mm: 0 }), extend);
    // The seed (8:4, 8:6, 8:8) takes the 8:2 hit first: its own layers then count as layers without a hit taken.
    const across = run(3);
    expect(new Set(across.slice(0, 8)).size).toBe(1);
    expect(across.slice(8).includes(across[0])).toBe(false);
    // Stopped after one empty layer: the 4 pixel hits alone are too few for a track (minHits 6), the rest never seeds.
    const stopped = run(1);
    expect(new Set(stopped.slice(0, 8)).size).toBe(8);
  });

  it('builds a 5-hit particle in the late round (buildEventTracks), after the first round needs 6', () => {
    const five = particle(1000, 2.0, -0.2, 0, 0, LAYERS.slice(0, 5));
    expect(five.length).toBe(5);
    const points = [...five, ...noise(300, 21)];
    const hits = hitsOf(points);
    const noGraph = {
      hitId: new Uint32Array(0),
      layer: new Uint8Array(0),
      nodeFeatures: new Float32Array(0),
      src: new Uint32Array(0),
      dst: new Uint32Array(0),
    };
    const run = (late: boolean) => buildEventTracks(hits, noGraph, new Float32Array(0), tracksConfig({ late: { enabled: late } }));
    const out = run(true);
    expect(new Set(out.slice(0, 5)).size).toBe(1);
    expect(new Set(out.slice(5)).size).toBe(300); // random hits stay single
    expect(Array.from(out.slice(5)).includes(out[0])).toBe(false);
    expect(new Set(run(false)).size).toBe(points.length);
  });

  it('keeps a 4-hit walk with pixelOnlyMinHits 4 only when all its hits are pixel hits', () => {
    const pixels = particle(1000, 2.0, -0.2, 0, 0, LAYERS.slice(0, 4));
    const mixed = particle(1000, -1.0, 0.3, 0, 0, [LAYERS[0], LAYERS[1], LAYERS[2], LAYERS[4]]);
    const run = (points: P[], config: object) =>
      seedAndFollow(hitsOf(points), singletons(points.length), seedConfigSchema.parse({ minHits: 5, ...config }), extend);
    expect(new Set(run(pixels, { pixelOnlyMinHits: 4 })).size).toBe(1);
    expect(new Set(run(pixels, {})).size).toBe(4);
    expect(new Set(run(mixed, { pixelOnlyMinHits: 4 })).size).toBe(4);
    expect(new Set(run(mixed, { minHits: 4 })).size).toBe(1); // it is a 4-hit track, just not a pixel-only one
  });

  it('does nothing when disabled', () => {
    const points = particle(1000, 0.7, 0.4, 12);
    const ids = singletons(points.length);
    expect(Array.from(seedAndFollow(hitsOf(points), ids, seedConfigSchema.parse({ enabled: false }), extend))).toEqual(Array.from(ids));
  });
});
