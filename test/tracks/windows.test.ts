// Every window and cut of track following, at 0.9 and 1.1 of its configured size (issue 22: wider along, long-strip,
// seed-Δz and pixel windows survived the tests): a hit offset by 0.9 × the window from the helix joins the track, one
// at 1.1 × does not. Hand-made helices (circles through the beam axis, z linear in arc length) give exact predictions,
// so the offset is the residual; each test sets one window through the config schema and moves one hit.
import { describe, expect, it } from 'vitest';
import type { Hits } from '../../src/trackml/types.ts';
import { extendInwards } from '../../src/tracks/extend.ts';
import { attachOverlapHits, extendConfigSchema, extendIntoStrips, overlapConfigSchema } from '../../src/tracks/index.ts';
import { findSeeds, seedAndFollow, seedConfigSchema } from '../../src/tracks/seeds.ts';
import { BARREL_LAYERS, handHits, type HandHit } from './hand-graph.ts';

const hitsOf = (points: HandHit[]): Hits => handHits(points, 1000);
const MM_PER_GEV = 1000 / 0.6; // helix radius per GeV of pT in 2 T
const RC = 2000; // helix radius, mm (pT 1.2 GeV)
const SLOPE = 0.5; // dz / d(arc length)

/** Arc length from the origin to transverse distance d on a circle of radius rc through the origin. */
const arcTo = (d: number, rc = RC) => 2 * rc * Math.asin(d / (2 * rc));

/** The point at transverse distance d on the helix (centre (0, rc)), moved `acrossMm` along the circle of radius d
 * (r·Δφ) and `alongMm` in z. */
function barrelHit(d: number, vol: number, layer: number, acrossMm = 0, alongMm = 0, rc = RC, slope = SLOPE): HandHit {
  const th = arcTo(d, rc) / rc;
  const phi = Math.atan2(rc * (1 - Math.cos(th)), rc * Math.sin(th)) + acrossMm / d;
  return { x: d * Math.cos(phi), y: d * Math.sin(phi), z: slope * rc * th + alongMm, vol, layer };
}

/** The helix's point at height z (a disk), moved `acrossMm` (r·Δφ) and `alongMm` in r. */
function diskHit(z: number, vol: number, layer: number, acrossMm = 0, alongMm = 0, rc = RC, slope = SLOPE): HandHit {
  const th = z / slope / rc;
  const d = 2 * rc * Math.sin(th / 2);
  const r = d + alongMm;
  const phi = Math.atan2(rc * (1 - Math.cos(th)), rc * Math.sin(th)) + acrossMm / r;
  return { x: r * Math.cos(phi), y: r * Math.sin(phi), z, vol, layer };
}

const PIXEL_TRACK = [barrelHit(40, 8, 2), barrelHit(80, 8, 4), barrelHit(120, 8, 6), barrelHit(170, 8, 8)];

/** Whether the one extra hit (last point) joins track 1 (the first `trackHits` points) under `config`. */
function joins(track: HandHit[], extra: HandHit, config: Record<string, unknown>): boolean {
  const points = [...track, extra];
  const ids = BigInt64Array.from(points, (_, i) => (i < track.length ? 1n : BigInt(10 + i)));
  const out = extendIntoStrips(hitsOf(points), ids, extendConfigSchema.parse(config));
  expect([...out.slice(0, track.length)]).toEqual(track.map(() => 1n));
  return out[track.length] === 1n;
}

describe('strip windows (extendIntoStrips)', () => {
  const noGrowth = { shortAcrossGrowth: 0 };
  it.each([
    ['short barrel across', { shortAcrossMm: 3 }, 3, (k: number) => barrelHit(500, 13, 6, k)],
    ['long barrel across', { longAcrossMm: 12 }, 12, (k: number) => barrelHit(820, 17, 2, k)],
    ['short barrel along (Δz)', { shortAlongMm: 10 }, 10, (k: number) => barrelHit(500, 13, 6, 0, k)],
    ['long barrel along (Δz)', { longAlongMm: 12 }, 12, (k: number) => barrelHit(820, 17, 2, 0, -k)],
  ])('%s: 0.9 × joins, 1.1 × does not', (_name, window, size, hit) => {
    const config = { ...noGrowth, ...window };
    expect(joins(PIXEL_TRACK, hit(0.9 * size), config)).toBe(true);
    expect(joins(PIXEL_TRACK, hit(-0.9 * size), config)).toBe(true);
    expect(joins(PIXEL_TRACK, hit(1.1 * size), config)).toBe(false);
    expect(joins(PIXEL_TRACK, hit(-1.1 * size), config)).toBe(false);
  });

  it('the short-strip across window grows with the distance flown × 1/pT', () => {
    const config = { shortAcrossMm: 3, shortAcrossGrowth: 10 };
    // Metres flown from the outermost pixel hit to the layer, × 1/pT (GeV⁻¹): the configured growth per m·GeV⁻¹.
    const window = 3 + (10 * (arcTo(500) - arcTo(170)) * MM_PER_GEV) / (1000 * RC);
    expect(window).toBeGreaterThan(5);
    expect(joins(PIXEL_TRACK, barrelHit(500, 13, 6, 0.9 * window), config)).toBe(true);
    expect(joins(PIXEL_TRACK, barrelHit(500, 13, 6, 1.1 * window), config)).toBe(false);
  });

  // A forward track: pixel disks at z 600–960 (slope 5, so the transverse distance stays under ~200 mm), then strip
  // disks.
  const FORWARD_SLOPE = 5;
  const disk = (z: number, vol: number, layer: number, across = 0, along = 0) => diskHit(z, vol, layer, across, along, RC, FORWARD_SLOPE);
  const PIXEL_DISKS = [disk(600, 9, 2), disk(700, 9, 4), disk(820, 9, 6), disk(960, 9, 8)];
  it.each([
    ['short disk across', { shortDiskAcrossMm: 5 }, 5, (k: number) => disk(1500, 14, 4, k)],
    ['long disk across', { longDiskAcrossMm: 20 }, 20, (k: number) => disk(2950, 18, 12, k)],
    ['short disk along (Δr)', { shortAlongMm: 10 }, 10, (k: number) => disk(1500, 14, 4, 0, k)],
    ['long disk along (Δr)', { longAlongMm: 12 }, 12, (k: number) => disk(2950, 18, 12, 0, k)],
  ])('%s: 0.9 × joins, 1.1 × does not', (_name, window, size, hit) => {
    const config = { ...noGrowth, ...window };
    for (const sign of [1, -1]) {
      expect(joins(PIXEL_DISKS, hit(sign * 0.9 * size), config)).toBe(true);
      expect(joins(PIXEL_DISKS, hit(sign * 1.1 * size), config)).toBe(false);
    }
  });
});

describe('inwards window (extendInwards)', () => {
  it.each([
    ['across', (k: number) => barrelHit(40, 8, 2, k), 2],
    ['along', (k: number) => barrelHit(40, 8, 2, 0, k), 4],
  ])('%s: 0.9 × joins, 1.1 × does not', (_name, hit, size) => {
    const track = [barrelHit(80, 8, 4), barrelHit(120, 8, 6), barrelHit(170, 8, 8), barrelHit(300, 13, 2)];
    for (const [k, expected] of [
      [0.9, true],
      [-0.9, true],
      [1.1, false],
      [-1.1, false],
    ] as const) {
      const points = [...track, hit(k * size)];
      const ids = BigInt64Array.from(points, (_, i) => (i < track.length ? 1n : 99n));
      const out = extendInwards(hitsOf(points), ids, 3, { acrossMm: 2, alongMm: 4 });
      expect(out[track.length] === 1n, `${k}`).toBe(expected);
    }
  });
});

describe('seeds: pixel windows while following, and the seed cuts', () => {
  // A 0.6 GeV particle over four pixel and six strip layers; the fourth pixel hit is the one moved.
  const rc = 1000;
  const LAYERS = BARREL_LAYERS;
  const particle = (across: number, along: number) =>
    LAYERS.map(([vol, layer, d], i) => barrelHit(d, vol, layer, i === 3 ? across : 0, i === 3 ? along : 0, rc, 0.4));
  // Every walk is kept at once, best seed first: the seed through the moved hit cannot take it later.
  const follow = (points: HandHit[], config: Record<string, unknown>) =>
    seedAndFollow(
      hitsOf(points),
      BigInt64Array.from(points, (_, i) => BigInt(i + 1)),
      seedConfigSchema.parse({ longFirstHits: 3, ...config }),
      extendConfigSchema.parse({}),
    );

  it.each([
    ['across', { pixelAcrossMm: 0.5 }, 0.5, (k: number) => particle(k, 0)],
    ['along (Δz)', { pixelAlongMm: 2 }, 2, (k: number) => particle(0, k)],
  ])('pixel window %s: 0.9 × joins, 1.1 × does not', (_name, window, size, points) => {
    for (const sign of [1, -1]) {
      const inside = follow(points(sign * 0.9 * size), window);
      expect(new Set(inside).size, 'one track of all ten hits').toBe(1);
      const outside = follow(points(sign * 1.1 * size), window);
      expect(outside.filter((t) => t === outside[0]).length, 'nine hits').toBe(9);
      expect(outside[3]).not.toBe(outside[0]);
    }
  });

  // Seed cuts on three pixel barrel hits (radii 32, 72, 116).
  const seedsOf = (points: HandHit[], config: Record<string, unknown>) =>
    findSeeds(hitsOf(points), () => true, seedConfigSchema.parse(config), [
      [8, 2],
      [8, 4],
      [8, 6],
    ]).length;
  // On a 0.6 GeV circle through the axis, z = z0 + 0.4·r (a line in (r, z)), the third hit moved dzC in z.
  const straight = (z0: number, dzC = 0) =>
    [32, 72, 116].map((r, i) => ({ ...barrelHit(r, 8, 2 + 2 * i, 0, 0, 1000), z: z0 + 0.4 * r + (i === 2 ? dzC : 0) }));

  it('maxDzMm: the third hit’s residual from the line through the first two', () => {
    for (const sign of [1, -1]) {
      expect(seedsOf(straight(0, sign * 0.9 * 3), { maxDzMm: 3 })).toBe(1);
      expect(seedsOf(straight(0, sign * 1.1 * 3), { maxDzMm: 3 })).toBe(0);
    }
  });

  it('maxDzMm on a layer whose hits spread in radius: a steep third hit 4 mm outside the mean radius', () => {
    // z = 3·r; C holds the third hit (r 120) and one far off in φ (r 112): mean radius 116, where the window along C
    // is placed; the residual is taken at the hit's own radius, so the window must reach it there.
    const steep = (dzC: number) => [
      ...[32, 72, 120].map((r, i) => ({ ...barrelHit(r, 8, 2 + 2 * i, 0, 0, 1000), z: 3 * r + (i === 2 ? dzC : 0) })),
      { x: -112, y: 0, z: 0, vol: 8, layer: 6 },
    ];
    for (const sign of [1, -1]) {
      expect(seedsOf(steep(sign * 0.9 * 3), { maxDzMm: 3 })).toBe(1);
      expect(seedsOf(steep(sign * 1.1 * 3), { maxDzMm: 3 })).toBe(0);
    }
  });

  it('maxDzMm on disks whose hits spread in z: the residual in r at the third hit’s own z', () => {
    // r = z / 5 on disks at z 600, 700 and 822.5 (its disk's other hit, far off in φ, at 817.5: mean z 820).
    const disks = (drC: number) => [
      ...[120, 140, 164.5 + drC].map((r, i) => ({ ...barrelHit(r, 9, 2 + 2 * i, 0, 0, 1000), z: [600, 700, 822.5][i] })),
      { x: -160, y: 0, z: 817.5, vol: 9, layer: 6 },
    ];
    const found = (drC: number) =>
      findSeeds(hitsOf(disks(drC)), () => true, seedConfigSchema.parse({ maxDzMm: 3 }), [
        [9, 2],
        [9, 4],
        [9, 6],
      ]).length;
    for (const sign of [1, -1]) {
      expect(found(sign * 0.9 * 3)).toBe(1);
      expect(found(sign * 1.1 * 3)).toBe(0);
    }
  });

  it('maxZ0Mm: where the line through the first two hits meets the beam axis', () => {
    for (const sign of [1, -1]) {
      expect(seedsOf(straight(sign * 0.9 * 200), { maxZ0Mm: 200 })).toBe(1);
      expect(seedsOf(straight(sign * 1.1 * 200), { maxZ0Mm: 200 })).toBe(0);
    }
  });

  it('minPtGeV: the radius of the circle through the three hits', () => {
    const minPt = 0.5;
    const rMin = minPt * MM_PER_GEV;
    const curved = (radius: number) => [32, 72, 116].map((d, i) => barrelHit(d, 8, 2 + 2 * i, 0, 0, radius, 0.4));
    expect(seedsOf(curved(1.1 * rMin), { minPtGeV: minPt })).toBe(1);
    expect(seedsOf(curved(0.9 * rMin), { minPtGeV: minPt })).toBe(0);
  });

  it('maxD0Mm: the circle’s distance from the beam axis', () => {
    // A circle of radius 3 m passing the axis at d0 (centre (0, R + d0)), through layers at 100, 120 and 140 mm (close
    // together: the circle through the axis and the first two hits, which places the window on the third, stays
    // within a millimetre of it).
    const R = 3000;
    const displaced = (d0: number) =>
      [100, 120, 140].map((r, i) => {
        const dc = R + d0;
        const a = (r * r - R * R + dc * dc) / (2 * dc); // along the centre's direction
        return { x: Math.sqrt(r * r - a * a), y: a, z: 0.4 * r, vol: 8, layer: 2 + 2 * i };
      });
    for (const d0 of [0, 0.9 * 5]) expect(seedsOf(displaced(d0), { maxD0Mm: 5 }), `d0 ${d0}`).toBe(1);
    expect(seedsOf(displaced(1.1 * 5), { maxD0Mm: 5 })).toBe(0);
    expect(seedsOf(displaced(1.1 * 5), { maxD0Mm: 6 })).toBe(1);
  });
});

describe('overlap windows (attachOverlapHits)', () => {
  // A straight track along x through three layers of one kind; the free hit sits beside its middle hit.
  const track = (vol: number, radii: number[]) => radii.map((r, i) => ({ x: r, y: 0, z: 0, vol, layer: 2 + 2 * i }));
  const attaches = (vol: number, radii: number[], along: number, across: number, config: Record<string, unknown>) => {
    const t = track(vol, radii);
    const points = [...t, { x: radii[1] + along, y: across, z: 0, vol, layer: 4 }];
    const ids = BigInt64Array.from(points, (_, i) => (i < t.length ? 1n : 50n));
    return attachOverlapHits(hitsOf(points), ids, overlapConfigSchema.parse(config))[t.length] === 1n;
  };
  it.each([
    ['pixel across', 8, [40, 80, 120], 'pixelAcrossMm', 0.5, 'across'],
    ['short-strip across', 13, [260, 360, 500], 'shortAcrossMm', 3, 'across'],
    ['long-strip across', 17, [660, 820, 1020], 'longAcrossMm', 8, 'across'],
    ['along the track', 8, [40, 80, 120], 'alongMm', 25, 'along'],
  ] as const)('%s: 0.9 × joins, 1.1 × does not', (_name, vol, radii, key, size, dir) => {
    const at = (k: number) =>
      dir === 'along' ? attaches(vol, [...radii], k * size, 0, { [key]: size }) : attaches(vol, [...radii], 0, k * size, { [key]: size });
    expect([at(0.9), at(-0.9), at(1.1), at(-1.1)]).toEqual([true, true, false, false]);
  });
});
