import { describe, expect, it } from 'vitest';
import { trackByAngleBins } from '../../src/tracks/baseline.ts';
import { allocHits, type Hits } from '../../src/trackml/types.ts';

function hitsAt(points: [number, number, number][]): Hits {
  const n = points.length;
  const hits = allocHits(n);
  points.forEach(([x, y, z], i) => {
    hits.hitId[i] = 100 + 7 * i; // ids are not 1..N
    hits.x[i] = x;
    hits.y[i] = y;
    hits.z[i] = z;
  });
  return hits;
}

describe('trackByAngleBins', () => {
  it('puts hits on one straight line from the origin in one track and other directions apart', () => {
    // Direction A: φ = 0.3 rad, z/r = 0.5 (η ≈ 0.48), at r = 40, 200, 800 mm.
    // Direction B: opposite φ; direction C: same φ as A but z/r = 3 (η ≈ 1.82).
    const dir = (phi: number, zOverR: number, r: number): [number, number, number] => [r * Math.cos(phi), r * Math.sin(phi), r * zOverR];
    const hits = hitsAt([dir(0.3, 0.5, 40), dir(0.3, 0.5, 200), dir(0.3, 0.5, 800), dir(0.3 + Math.PI, 0.5, 200), dir(0.3, 3, 200)]);
    const t = trackByAngleBins(hits, { phiBins: 150, etaBins: 100, etaMax: 4 });
    expect(t[1]).toBe(t[0]);
    expect(t[2]).toBe(t[0]);
    expect(t[3]).not.toBe(t[0]);
    expect(t[4]).not.toBe(t[0]);
    expect(t[4]).not.toBe(t[3]);
    // Dense ids from 1 in order of first appearance.
    expect([...t]).toEqual([1n, 1n, 1n, 2n, 3n]);
  });

  it('keeps hits beyond the η range in the edge bins instead of dropping them', () => {
    const hits = hitsAt([
      [10, 0, 3000],
      [20, 0, 2900],
      [10, 0, -3000],
    ]);
    const t = trackByAngleBins(hits, { phiBins: 10, etaBins: 8, etaMax: 4 });
    expect(t[0]).toBe(t[1]);
    expect(t[2]).not.toBe(t[0]);
  });
});
