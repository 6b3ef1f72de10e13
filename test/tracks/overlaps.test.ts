// Module-overlap hits: a single-hit track beside a track's hit on the same layer, on the line the track runs along,
// joins it (also a third hit on a layer the track holds twice); hits off that line, too far along it, or beside a
// short track stay alone; each track hit takes one such hit, the closest to the line.
import { describe, expect, it } from 'vitest';
import { attachOverlapHits, overlapConfigSchema } from '../../src/tracks/index.ts';
import { handHits, type HandHit } from './hand-graph.ts';

/** A straight prompt track (pT high enough to be straight over these radii) at azimuth 0.7 and dz/dr 0.4. */
const PHI = 0.7;
const SLOPE = 0.4;
const U = (() => {
  const n = Math.hypot(1, SLOPE);
  return [Math.cos(PHI) / n, Math.sin(PHI) / n, SLOPE / n];
})();
/** A point of the track at radius r, moved `across` mm sideways (perpendicular to the track, in the transverse
 * plane). */
function onTrack(r: number, vol: number, layer: number, across = 0): HandHit {
  return { x: r * Math.cos(PHI) - across * Math.sin(PHI), y: r * Math.sin(PHI) + across * Math.cos(PHI), z: SLOPE * r, vol, layer };
}
/** `along` mm further along the track from its point at radius r. */
function alongTrack(r: number, along: number, vol: number, layer: number, across = 0): HandHit {
  const p = onTrack(r, vol, layer, across);
  return { ...p, x: p.x + along * U[0], y: p.y + along * U[1], z: p.z + along * U[2] };
}
const TRACK: HandHit[] = [
  onTrack(32, 8, 2),
  onTrack(72, 8, 4),
  onTrack(116, 8, 6),
  onTrack(172, 8, 8),
  onTrack(260, 13, 2),
  onTrack(820, 17, 2),
];

/** Track 1 holds the first `trackHits` points; every other point is its own track. Returns the new track ids. */
function run(points: HandHit[], trackHits = TRACK.length, config = {}): bigint[] {
  const trackId = BigInt64Array.from(points.map((_, i) => (i < trackHits ? 1n : BigInt(100 + i))));
  return [...attachOverlapHits(handHits(points), trackId, overlapConfigSchema.parse(config))];
}

describe('attachOverlapHits', () => {
  it('hangs a second hit on the same layer, on the track line a few mm further on, on the track', () => {
    const ids = run([...TRACK, alongTrack(72, 6, 8, 4), alongTrack(260, -9, 13, 2, 1.5), alongTrack(820, 12, 17, 2, 5)]);
    expect(ids.slice(TRACK.length)).toEqual([1n, 1n, 1n]);
    expect(ids.slice(0, TRACK.length).every((t) => t === 1n)).toBe(true);
  });

  it('leaves hits off the line (by the volume’s tolerance), too far along it, or on another layer alone', () => {
    const ids = run([
      ...TRACK,
      alongTrack(72, 6, 8, 4, 2), // pixel, 2 mm off the line (tolerance 0.5)
      alongTrack(260, 6, 13, 2, 5), // short strip, 5 mm off (tolerance 3)
      alongTrack(820, 40, 17, 2), // 40 mm along (limit 25)
      alongTrack(116, 6, 8, 5), // on the line but another layer id
    ]);
    expect(ids.slice(TRACK.length)).toEqual([106n, 107n, 108n, 109n]);
  });

  it('gives each track hit one overlap hit, the one closest to the line', () => {
    const ids = run([...TRACK, alongTrack(72, 5, 8, 4, 0.4), alongTrack(72, -5, 8, 4, 0.1)]);
    expect(ids.slice(TRACK.length)).toEqual([106n, 1n]);
  });

  it('hangs a third hit on a layer the track already holds twice (three hits of a forward particle on one disk)', () => {
    const twice = [...TRACK, alongTrack(72, 6, 8, 4), alongTrack(72, -6, 8, 4)];
    // Track 1 already holds the first overlap hit (7 hits): the third joins beside one of its two hits there.
    expect(run(twice, TRACK.length + 1).slice(TRACK.length)).toEqual([1n, 1n]);
    // Off the line, it stays alone.
    const off = [...TRACK, alongTrack(72, 6, 8, 4), alongTrack(72, -6, 8, 4, 2)];
    expect(run(off, TRACK.length + 1).slice(TRACK.length)).toEqual([1n, 107n]);
  });

  it('adds nothing to a short track, or when disabled', () => {
    const short = [TRACK[0], TRACK[1], alongTrack(72, 6, 8, 4)];
    expect(run(short, 2, { minHits: 3 })).toEqual([1n, 1n, 102n]);
    expect(run(short, 2)).toEqual([1n, 1n, 1n]); // default minHits 2
    expect(run([TRACK[0], alongTrack(32, 6, 8, 2)], 1)).toEqual([1n, 101n]); // a lone hit has no direction
    expect(run([...TRACK, alongTrack(72, 6, 8, 4)], TRACK.length, { enabled: false }).at(-1)).toBe(106n);
  });
});
