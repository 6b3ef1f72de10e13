// Large-radius tracking on hand-made helices among random hits: a secondary born at r ≈ 150 mm (circle 40 mm from
// the beam axis, one pixel hit) becomes one track, which the prompt and displaced seed rounds cannot seed; one
// beyond maxD0Mm and a too-short one stay single hits; random hits alone make no track.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random.ts';
import { extendConfigSchema, seedConfigSchema } from '../../src/tracks/config.ts';
import { buildHitIndex } from '../../src/tracks/hit-index.ts';
import { circleRmsMm, largeRadiusConfigSchema, largeRadiusTracks } from '../../src/tracks/large-radius.ts';
import { seedTracks } from '../../src/tracks/seeds.ts';
import { BARREL_LAYERS, handHits, type HandHit } from './hand-graph.ts';

const LAYERS = BARREL_LAYERS;

/** Hits on the layers beyond radius rStart (mm) of a particle on a circle of radius rc (mm) passing the beam axis at
 * d0 (mm) in direction phi0 there, with z = z0 + slope × (turning angle × rc). */
function secondary(rc: number, phi0: number, slope: number, z0: number, d0: number, rStart: number): HandHit[] {
  const nx = Math.cos(phi0 + Math.PI / 2);
  const ny = Math.sin(phi0 + Math.PI / 2);
  const [cx, cy] = [(d0 + rc) * nx, (d0 + rc) * ny];
  const start = Math.atan2(d0 * ny - cy, d0 * nx - cx);
  const at = (t: number) => [cx + rc * Math.cos(start + t), cy + rc * Math.sin(start + t)];
  const out: HandHit[] = [];
  for (const [vol, layer, radius] of LAYERS) {
    if (radius <= rStart || Math.hypot(...at(Math.PI)) < radius) continue;
    let lo = 0;
    let hi = Math.PI;
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

function noise(n: number, seed: number): HandHit[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const [vol, layer, radius] = LAYERS[Math.floor(rnd() * LAYERS.length)];
    const phi = rnd() * 2 * Math.PI - Math.PI;
    return { x: radius * Math.cos(phi), y: radius * Math.sin(phi), z: (rnd() - 0.5) * 1000, vol, layer };
  });
}

const seeds = seedConfigSchema.parse({});
const extend = extendConfigSchema.parse({});
const config = largeRadiusConfigSchema.parse({});
const singles = (n: number) => Int32Array.from({ length: n }, (_, i) => i + 1);

describe('largeRadiusTracks', () => {
  it('turns a secondary born at r ≈ 150 mm among 300 random hits into one track of all its hits', () => {
    // 1.5 GeV (rc 2500 mm), 40 mm from the beam axis: one pixel hit (layer 4), four short- and two long-strip hits.
    const track = secondary(2500, 0.4, 0.3, 60, 40, 150);
    expect(track.length).toBe(7);
    const points = [...track, ...noise(300, 7)];
    const idx = buildHitIndex(handHits(points));
    const ids = singles(points.length);
    const out = largeRadiusTracks(idx, ids, config, seeds, extend);
    expect(new Set(out.slice(0, track.length)).size).toBe(1);
    expect(out[0]).toBeGreaterThan(points.length);
    // No random hit joins it, and random hits make no track of their own.
    expect(new Set(out.slice(track.length)).size).toBe(300);
    expect(Array.from(out.slice(track.length))).toEqual(Array.from(ids.slice(track.length)));
    // The earlier seed rounds (pixel triplets, prompt and displaced up to 15 mm) leave it single hits.
    expect(Array.from(seedTracks(idx, ids, seeds, extend))).toEqual(Array.from(ids));
  });

  it('leaves a secondary beyond maxD0Mm, a too-short one and hits on tracks alone', () => {
    const far = secondary(2500, 0.4, 0.3, 60, 1.5 * config.maxD0Mm, 1.6 * config.maxD0Mm);
    const short = secondary(2500, 2.4, 0.3, 60, 40, 400);
    expect(far.length).toBeGreaterThanOrEqual(config.minHits);
    expect(short.length).toBeLessThan(config.minHits);
    const points = [...far, ...short];
    const idx = buildHitIndex(handHits(points));
    const ids = singles(points.length);
    expect(Array.from(largeRadiusTracks(idx, ids, config, seeds, extend))).toEqual(Array.from(ids));
    // Within a wider d0 cut the far one is found: the cut, not the geometry, left it.
    const wide = largeRadiusConfigSchema.parse({ maxD0Mm: 2 * config.maxD0Mm });
    const found = largeRadiusTracks(idx, ids, wide, seeds, extend);
    expect(new Set(found.slice(0, far.length)).size).toBe(1);
    // Hits already on a track (here all in one) are not free.
    const taken = new Int32Array(points.length).fill(1);
    expect(Array.from(largeRadiusTracks(idx, taken, wide, seeds, extend))).toEqual(Array.from(taken));
  });

  it('makes no track from 2000 random hits', () => {
    const points = noise(2000, 11);
    const ids = singles(points.length);
    expect(Array.from(largeRadiusTracks(buildHitIndex(handHits(points)), ids, config, seeds, extend))).toEqual(Array.from(ids));
  });

  it('finds a soft secondary (0.3 GeV, below the former 0.4 GeV cut) and keeps it out at minPtGeV 0.4', () => {
    // rc = 500 mm ≈ 0.3 GeV in 2 T, 30 mm from the beam axis, from pixel layer 3 on.
    const track = secondary(500, 1.1, 0.2, -40, 30, 100);
    expect(track.length).toBeGreaterThanOrEqual(config.minHits);
    const points = [...track, ...noise(300, 5)];
    const idx = buildHitIndex(handHits(points));
    const ids = singles(points.length);
    const out = largeRadiusTracks(idx, ids, config, seeds, extend);
    expect(new Set(out.slice(0, track.length)).size).toBe(1);
    expect(Array.from(out.slice(track.length))).toEqual(Array.from(ids.slice(track.length)));
    const hard = largeRadiusConfigSchema.parse({ minPtGeV: 0.4 });
    expect(Array.from(largeRadiusTracks(idx, ids, hard, seeds, extend))).toEqual(Array.from(ids));
  });

  it('seeds a curling secondary whose hits leave the straight (r, z) line, judging z along the arc (arcDz)', () => {
    // rc = 400 mm (0.24 GeV), 20 mm from the beam axis, steep in z: between pixel layers 3–4 and the short strips its
    // z runs several mm off the straight (r, z) line through its first two seed hits.
    const track = secondary(400, -0.7, 0.6, 30, 20, 100);
    expect(track.length).toBeGreaterThanOrEqual(config.minHits);
    const points = [...track, ...noise(300, 9)];
    const idx = buildHitIndex(handHits(points));
    const ids = singles(points.length);
    const out = largeRadiusTracks(idx, ids, config, seeds, extend);
    expect(new Set(out.slice(0, track.length)).size).toBe(1);
    expect(Array.from(out.slice(track.length))).toEqual(Array.from(ids.slice(track.length)));
    const straight = largeRadiusConfigSchema.parse({ arcDz: false });
    expect(Array.from(largeRadiusTracks(idx, ids, straight, seeds, extend))).toEqual(Array.from(ids));
  });

  it('keeps a short track only when its hits lie on a circle (qualityMaxHits, maxCircleRmsMm)', () => {
    const track = secondary(2500, 0.4, 0.3, 60, 40, 150);
    const idx = buildHitIndex(handHits(track));
    const rows = track.map((_, i) => i);
    // Hits on a helix lie on its circle (float32 positions: micrometres off).
    expect(circleRmsMm(idx, rows)).toBeLessThan(0.01);
    // Move the strip hits ±0.4 mm across alternately (inside the walk's windows): the rms is of that size, and a cut
    // below it drops the track.
    const jittered = track.map((h, i) => {
      const r = Math.hypot(h.x, h.y);
      const k = (h.vol === 8 ? 0 : i % 2 === 0 ? 0.4 : -0.4) / r;
      return { ...h, x: h.x - h.y * k, y: h.y + h.x * k };
    });
    const jIdx = buildHitIndex(handHits(jittered));
    const rms = circleRmsMm(jIdx, rows);
    expect(rms).toBeGreaterThan(0.1);
    expect(rms).toBeLessThan(0.5);
    const ids = singles(track.length);
    const kept = largeRadiusTracks(jIdx, ids, config, seeds, extend);
    expect(new Set(kept).size).toBe(1);
    const strict = largeRadiusConfigSchema.parse({ maxCircleRmsMm: 0.05 });
    expect(Array.from(largeRadiusTracks(jIdx, ids, strict, seeds, extend))).toEqual(Array.from(ids));
    // Longer than qualityMaxHits: no such cut.
    const long = largeRadiusConfigSchema.parse({ maxCircleRmsMm: 0.05, qualityMaxHits: track.length - 1 });
    expect(new Set(largeRadiusTracks(jIdx, ids, long, seeds, extend)).size).toBe(1);
  });

  it('is off when disabled', () => {
    const track = secondary(2500, 0.4, 0.3, 60, 40, 150);
    const ids = singles(track.length);
    const off = largeRadiusConfigSchema.parse({ enabled: false });
    expect(Array.from(largeRadiusTracks(buildHitIndex(handHits(track)), ids, off, seeds, extend))).toEqual(Array.from(ids));
  });
});
