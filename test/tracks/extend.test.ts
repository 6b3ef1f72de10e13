// Strip extension on a hand-made helix: pixel hits define it, strip hits on it join the track, a hit 30 mm off
// does not, the short-strip window grows with distance / pT, the strip disks' windows are wider, and a straight
// (infinite-momentum) track works too. Inwards: a track takes the free pixel hit its helix crosses inside its
// innermost hit or in a hole between its pixel hits, not one off the helix or outside.
import { describe, expect, it } from 'vitest';
import type { Hits } from '../../src/trackml/types.ts';
import { extendConfigSchema, extendIntoStrips } from '../../src/tracks/index.ts';
import { extendInwards } from '../../src/tracks/extend.ts';
import { handHits, type HandHit } from './hand-graph.ts';

type P = HandHit;
const hitsOf = (points: P[]): Hits => handHits(points, 1000);

// Circle through the origin with centre (0, rc): the point at distance d from the origin is at turning angle
// θ = 2·asin(d / 2rc), position (rc·sin θ, rc·(1 − cos θ)), arc length rc·θ; z = 0.5 × arc length.
function onHelix(d: number, rc: number, vol: number, layer: number, acrossOffsetMm = 0): P {
  const th = 2 * Math.asin(d / (2 * rc));
  const x = rc * Math.sin(th);
  const y = rc * (1 - Math.cos(th));
  const phi = Math.atan2(y, x) + acrossOffsetMm / d;
  return { x: d * Math.cos(phi), y: d * Math.sin(phi), z: 0.5 * rc * th, vol, layer };
}

const cfg = extendConfigSchema.parse({});

describe('extendIntoStrips', () => {
  it('adds the strip hits a curved track passes through and leaves a hit 30 mm off alone', () => {
    const rc = 2000; // pT ≈ 1.2 GeV in 2 T
    const points = [
      onHelix(40, rc, 8, 2),
      onHelix(80, rc, 8, 4),
      onHelix(120, rc, 8, 6),
      onHelix(170, rc, 8, 8), // pixel track 1
      onHelix(300, rc, 13, 2),
      onHelix(500, rc, 13, 6),
      onHelix(800, rc, 17, 2), // strips on it
      onHelix(500, rc, 13, 6, 30), // decoy on the same layer, 30 mm across
      { x: -300, y: 5, z: 40, vol: 13, layer: 2 }, // an unrelated strip hit
    ];
    const trackId = BigInt64Array.from([1n, 1n, 1n, 1n, 2n, 3n, 4n, 5n, 6n]);
    const out = extendIntoStrips(hitsOf(points), trackId, cfg);
    expect([...out]).toEqual([1n, 1n, 1n, 1n, 1n, 1n, 1n, 5n, 6n]);
  });

  it('follows a straight track and ignores tracks below minHits', () => {
    const line = (r: number, vol: number, layer: number): P => ({ x: r * Math.cos(1), y: r * Math.sin(1), z: -0.3 * r, vol, layer });
    const points = [
      line(40, 8, 2),
      line(80, 8, 4),
      line(120, 8, 6),
      line(400, 13, 4),
      line(1000, 17, 4),
      { ...line(400, 13, 4), x: 0, y: 400 },
    ];
    const out = extendIntoStrips(hitsOf(points), BigInt64Array.from([7n, 7n, 7n, 8n, 9n, 10n]), cfg);
    expect([...out]).toEqual([7n, 7n, 7n, 7n, 7n, 10n]);
    // A 2-hit track is not extended (minHits 3).
    const two = extendIntoStrips(hitsOf(points), BigInt64Array.from([7n, 7n, 11n, 8n, 9n, 10n]), cfg);
    expect([...two]).toEqual([7n, 7n, 11n, 8n, 9n, 10n]);
  });

  it('looks one layer ahead: a closer wrong hit that would lose the rest of the track is not taken', () => {
    const rc = 2000;
    // The particle's strip hits drift off the pixel-only helix (as after scattering); a hit of another particle
    // sits closer to the pixel-only prediction on the first strip layer but on the wrong side.
    const points = [
      onHelix(40, rc, 8, 2),
      onHelix(80, rc, 8, 4),
      onHelix(120, rc, 8, 6),
      onHelix(170, rc, 8, 8),
      onHelix(300, rc, 13, 2, 1.5),
      onHelix(500, rc, 13, 6, 4),
      onHelix(800, rc, 17, 2, 9),
      onHelix(300, rc, 13, 2, -1), // the decoy
    ];
    const trackId = BigInt64Array.from([1n, 1n, 1n, 1n, 2n, 3n, 4n, 5n]);
    expect([...extendIntoStrips(hitsOf(points), trackId, cfg)]).toEqual([1n, 1n, 1n, 1n, 1n, 1n, 1n, 5n]);
  });

  it('leaves a wrong pixel hit on the track out of the helix fit', () => {
    const rc = 1500;
    const points = [
      onHelix(35, rc, 8, 2),
      onHelix(70, rc, 8, 4),
      onHelix(115, rc, 8, 6),
      onHelix(170, rc, 8, 8),
      onHelix(172, rc, 8, 8, 6), // another particle's hit, 6 mm across, joined to the track by the builder
      onHelix(300, rc, 13, 2),
      onHelix(500, rc, 13, 6),
      onHelix(800, rc, 17, 2),
      onHelix(1000, rc, 17, 6),
    ];
    const trackId = BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 2n, 3n, 4n, 5n]);
    expect([...extendIntoStrips(hitsOf(points), trackId, cfg)]).toEqual([1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n]);
  });

  it('widens the short-strip window across with distance / pT: a slow particle’s scattered hit joins, a fast one’s does not', () => {
    // A hit 5 mm across the helix on the first short-strip layer, 130 mm beyond the last pixel hit: outside the fixed
    // 3 mm; inside 3 + 10 mm/(m·GeV⁻¹) × 0.13 m / 0.21 GeV ≈ 9 mm for rc = 350 mm, not 3 + 0.4 mm for rc = 5000 mm.
    const run = (rc: number, config = cfg) => {
      const points = [
        onHelix(40, rc, 8, 2),
        onHelix(80, rc, 8, 4),
        onHelix(120, rc, 8, 6),
        onHelix(170, rc, 8, 8),
        onHelix(300, rc, 13, 2, 5),
      ];
      return [...extendIntoStrips(hitsOf(points), BigInt64Array.from([1n, 1n, 1n, 1n, 2n]), config)].at(-1);
    };
    expect(run(350)).toBe(1n);
    expect(run(350, extendConfigSchema.parse({ shortAcrossGrowth: 0 }))).toBe(2n);
    expect(run(5000)).toBe(2n);
  });

  it('has wider windows across on the strip disks than in the strip barrel', () => {
    // A straight track (no growth) with a hit 4 mm across its line: taken on a short-strip disk (5 mm), not on a
    // short-strip barrel layer (3 mm).
    const phi = 0.4;
    const at = (r: number, z: number, vol: number, layer: number, across = 0): P => ({
      x: r * Math.cos(phi) - across * Math.sin(phi),
      y: r * Math.sin(phi) + across * Math.cos(phi),
      z,
      vol,
      layer,
    });
    const disk = [at(60, 600, 9, 2), at(70, 700, 9, 4), at(82, 820, 9, 6), at(130, 1300, 14, 2, 4)];
    expect([...extendIntoStrips(hitsOf(disk), BigInt64Array.from([1n, 1n, 1n, 2n]), cfg)]).toEqual([1n, 1n, 1n, 1n]);
    const barrel = [at(40, 20, 8, 2), at(80, 40, 8, 4), at(120, 60, 8, 6), at(300, 150, 13, 2, 4)];
    expect([...extendIntoStrips(hitsOf(barrel), BigInt64Array.from([1n, 1n, 1n, 2n]), cfg)]).toEqual([1n, 1n, 1n, 2n]);
    // With the barrel's window on the disks too, the disk hit stays alone.
    const narrow = extendConfigSchema.parse({ shortDiskAcrossMm: 3 });
    expect([...extendIntoStrips(hitsOf(disk), BigInt64Array.from([1n, 1n, 1n, 2n]), narrow)].at(-1)).toBe(2n);
  });

  it('does nothing when disabled', () => {
    const points = [onHelix(40, 2000, 8, 2), onHelix(80, 2000, 8, 4), onHelix(120, 2000, 8, 6), onHelix(300, 2000, 13, 2)];
    const ids = BigInt64Array.from([1n, 1n, 1n, 2n]);
    expect([...extendIntoStrips(hitsOf(points), ids, extendConfigSchema.parse({ enabled: false }))]).toEqual([1n, 1n, 1n, 2n]);
  });
});

describe('extendInwards', () => {
  const win = { acrossMm: 2, alongMm: 4 };
  it('gives a track the free pixel hit on its helix inside its innermost hit, not one off it or further out', () => {
    const rc = 1500;
    const points = [
      onHelix(80, rc, 8, 4),
      onHelix(120, rc, 8, 6),
      onHelix(170, rc, 8, 8),
      onHelix(300, rc, 13, 2), // track 1
      onHelix(40, rc, 8, 2, 0.8), // inside, 0.8 mm across: joins
      onHelix(40, rc, 8, 2, 6), // same layer, 6 mm across: stays (and loses to the closer one anyway)
      onHelix(230, rc, 8, 10), // on the helix but outside the innermost hit: not this step's business
    ];
    const trackId = BigInt64Array.from([1n, 1n, 1n, 1n, 2n, 3n, 4n]);
    expect([...extendInwards(hitsOf(points), trackId, 3, win)]).toEqual([1n, 1n, 1n, 1n, 1n, 3n, 4n]);
    // Only the far hit on the inner layer: nothing joins; a track below minHits takes nothing.
    const far = [points[0], points[1], points[2], points[3], points[5]];
    expect([...extendInwards(hitsOf(far), BigInt64Array.from([1n, 1n, 1n, 1n, 3n]), 3, win)]).toEqual([1n, 1n, 1n, 1n, 3n]);
    const short = [points[0], points[1], points[4]];
    expect([...extendInwards(hitsOf(short), BigInt64Array.from([1n, 1n, 2n]), 3, win)]).toEqual([1n, 1n, 2n]);
  });

  it("fills a hole between the track's pixel hits, not a layer it already holds", () => {
    const rc = 1500;
    const points = [
      onHelix(40, rc, 8, 2),
      onHelix(120, rc, 8, 6),
      onHelix(170, rc, 8, 8),
      onHelix(300, rc, 13, 2), // track 1, no 8:4 hit
      onHelix(80, rc, 8, 4, 0.5), // the hole, 0.5 mm across: joins
      onHelix(121, rc, 8, 6, 1), // a second hit on a layer the track holds: left to the overlap step
    ];
    const trackId = BigInt64Array.from([1n, 1n, 1n, 1n, 2n, 3n]);
    expect([...extendInwards(hitsOf(points), trackId, 3, win)]).toEqual([1n, 1n, 1n, 1n, 1n, 3n]);
  });
});
