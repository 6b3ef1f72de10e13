// The score-loss breakdown on a hand-made event whose answer is worked out on paper, and its bookkeeping (score +
// lost = 1, score = the official score) on random submissions.
import { describe, expect, it } from 'vitest';
import { scoreEvent } from '../../scoring/index.ts';
import { LOSS_KINDS, lostTotal, scoreLoss } from '../../src/pipeline/score-loss.ts';
import { allocHits, allocTruth, type Submission, type Truth } from '../../src/trackml/index.ts';

// Particles (all weights 1 per hit, 20 hits, total weight 20):
//   1: hits 1–4   found by track 10 with 3 of them; hit 4 sits in particle 2's track 20 (in another's track)
//   2: hits 5–8   track 20 = hits 5, 6, 7 + hit 4 → found; hit 8 left alone (track 99, one hit)
//   3: hits 9–12  tracks 30 = {9, 10}, 31 = {11, 12}: split (no track has > 50 %)
//   4: hits 13–15 track 40 = {13, 14} + 17, 18 (particle 5): 2 of 4 hits → not > 50 % of the track: merged
//   5: hits 16–18 hit 16 in track 41 (alone); 17, 18 (> 50 % of its hits) in track 40, where they are only half:
//      merged too (particle 4 leads track 40 on the tie: smaller id)
//   6: hits 19–20 track 50 = {19} and track 51 = {20}: not found
function handMade(): { truth: Truth; sub: Submission } {
  const n = 20;
  const truth = allocTruth(n);
  const particleOf = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6];
  const trackOf = [10, 10, 10, 20, 20, 20, 20, 99, 30, 30, 31, 31, 40, 40, 42, 41, 40, 40, 50, 51];
  for (let i = 0; i < n; i++) {
    truth.hitId[i] = i + 1;
    truth.particleId[i] = BigInt(particleOf[i]);
    truth.weight[i] = 1;
  }
  return { truth, sub: { hitId: truth.hitId.slice(), trackId: BigInt64Array.from(trackOf.map(BigInt)) } };
}

describe('scoreLoss', () => {
  it('splits a hand-made event into the worked-out failure kinds', () => {
    const { truth, sub } = handMade();
    const hits = allocHits(20);
    hits.hitId.set(truth.hitId);
    hits.volumeId.fill(8);
    const loss = scoreLoss(hits, truth, sub);
    // Particle 1: 3 scored, 1 in another's track; particle 2: 3 scored, 1 alone.
    expect(loss.score).toBeCloseTo(6 / 20, 12);
    expect(loss.total.lost.inOtherTracks).toBeCloseTo(1 / 20, 12);
    expect(loss.total.lost.unassigned).toBeCloseTo(1 / 20, 12);
    expect(loss.total.lost.split).toBeCloseTo(4 / 20, 12);
    expect(loss.total.lost.merged).toBeCloseTo(6 / 20, 12);
    expect(loss.total.lost.notFound).toBeCloseTo(2 / 20, 12);
    expect(loss.total.lost.fragments).toBe(0);
    expect(loss.total.particles).toBe(6);
    expect(loss.lostHitsByVolume['8'].inOtherTracks).toBeCloseTo(1 / 20, 12);
    expect(loss.score).toBeCloseTo(scoreEvent(truth, sub).score, 12);
  });

  it('scored + lost weight is the whole event and the score is the official one, on random submissions', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 20; trial++) {
      const n = 300;
      const truth = allocTruth(n);
      const hits = allocHits(n);
      const trackId = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        truth.hitId[i] = hits.hitId[i] = i + 1;
        truth.particleId[i] = rand() < 0.1 ? 0n : BigInt(1 + Math.floor(i / 6));
        truth.weight[i] = truth.particleId[i] === 0n ? 0 : rand();
        hits.volumeId[i] = 7 + Math.floor(rand() * 3);
        // Mostly the particle's own track, sometimes a neighbour's or a lone hit.
        const r = rand();
        trackId[i] = BigInt(r < 0.7 ? Math.floor(i / 6) : r < 0.85 ? Math.floor(i / 6) + 1 : 1000 + i);
      }
      const sub = { hitId: truth.hitId.slice(), trackId };
      const loss = scoreLoss(hits, truth, sub);
      expect(loss.score).toBeCloseTo(scoreEvent(truth, sub).score, 10);
      expect(loss.score + lostTotal(loss.total)).toBeCloseTo(1, 10);
      for (const axis of ['pt', 'eta', 'origin', 'nhits', 'volume'] as const) {
        const sum = Object.values(loss.by[axis]).reduce((a, c) => a + c.weight, 0);
        expect(sum).toBeCloseTo(1, 10);
      }
      expect(LOSS_KINDS.every((k) => loss.total.lost[k] >= 0)).toBe(true);
    }
  });
});
