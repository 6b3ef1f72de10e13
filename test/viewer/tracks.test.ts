// The page's pure parts, run in Node exactly as bundled: union-find tracks, polyline segments, the live score
// (must equal scoring/score.ts on the same submission) with match status, the URL state and the wire format.
import { describe, expect, it } from 'vitest';
import { scoreEvent } from '../../scoring/score.ts';
import { referenceAnalyzeTracks, referenceScore } from '../scoring/reference-score.ts';
import { packColumns, unpackColumns } from '../../viewer/shared/binary.ts';
import { DEFAULT_STATE, stateFromQuery, stateToQuery, type ViewState } from '../../viewer/app/state.ts';
import {
  componentLabels,
  hitLabels,
  LiveScorer,
  MATCH_DUPLICATE,
  MATCH_FAKE,
  MATCH_GOOD,
  MATCH_MISSED,
  MATCH_NOISE,
  orderByRadius,
  trackSegments,
} from '../../viewer/app/tracks.ts';

describe('componentLabels', () => {
  it('joins exactly the first `count` edges (the ones at or above the threshold)', () => {
    // 6 nodes; edges sorted by score: (4,5) (1,2) (2,3) | (0,1); labels dense in order of first node.
    const src = new Uint32Array([4, 1, 2, 0]);
    const dst = new Uint32Array([5, 2, 3, 1]);
    expect([...componentLabels(6, src, dst, 3)]).toEqual([0, 1, 1, 1, 2, 2]);
    expect([...componentLabels(6, src, dst, 4)]).toEqual([0, 0, 0, 0, 1, 1]);
    expect([...componentLabels(6, src, dst, 0)]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('hitLabels: graph nodes take their component, other hits a label of their own', () => {
    const nodeHit = new Int32Array([3, 0, 2]); // node k is hit nodeHit[k]; hit 1 is not in the graph
    const nodeLabel = new Int32Array([0, 0, 1]);
    expect([...hitLabels(4, nodeHit, nodeLabel, new Int32Array(4))]).toEqual([0, 3 + 1, 1, 0]);
  });
});

describe('trackSegments', () => {
  it('links consecutive hits in radius order within each track of ≥ minHits hits', () => {
    // Hits on the x axis at radius = 10 × row order given below; track 7 = rows 0, 2, 4; track 9 = rows 1, 3.
    const x = new Float32Array([10, 20, 30, 40, 50]);
    const zero = new Float32Array(5);
    const byR = orderByRadius(x, zero, zero);
    const labels = new Int32Array([7, 9, 7, 9, 7]);
    const three = trackSegments(labels, byR, 3, 10);
    expect(three.tracks).toBe(1);
    expect([...three.index.subarray(0, three.length)]).toEqual([0, 2, 2, 4]);
    const two = trackSegments(labels, byR, 2, 10);
    expect(two.tracks).toBe(2);
    expect([...two.index.subarray(0, two.length)]).toEqual([0, 2, 1, 3, 2, 4]);
  });
});

describe('LiveScorer', () => {
  // 8 hits: particle 5 (rows 0-3, weight 0.1 each), particle 2^60+1 (rows 4-6, 0.2 each), noise (row 7, weight 0
  // as in TrackML); total weight 1, so scores read directly.
  const truth = {
    hitId: new Uint32Array([11, 12, 13, 14, 21, 22, 23, 99]),
    particleId: new BigUint64Array([5n, 5n, 5n, 5n, 2n ** 60n + 1n, 2n ** 60n + 1n, 2n ** 60n + 1n, 0n]),
    weight: new Float64Array([0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0]),
  };
  const empty = new Float32Array(0);
  const official = (t: typeof truth, labels: Int32Array) =>
    scoreEvent(t, {
      hitId: t.hitId,
      trackId: BigInt64Array.from(labels, (l) => BigInt(l)),
    });
  /** The independent literal port of the official loop (test/scoring/reference-score.ts): score and good tracks. */
  const independent = (t: typeof truth, labels: Int32Array) => {
    const full = { ...t, tx: empty, ty: empty, tz: empty, tpx: empty, tpy: empty, tpz: empty };
    const sub = { hitId: t.hitId, trackId: BigInt64Array.from(labels, (l) => BigInt(l)) };
    const good = referenceAnalyzeTracks(full, sub).filter((k) => 0.5 < k.majorNhits / k.nhits && 0.5 < k.majorNhits / k.majorParticleNhits);
    return { score: referenceScore(full, sub), goodTracks: good.length };
  };

  it('scores by hand and equals scoring/score.ts; classifies every hit', () => {
    // Track 0: rows 0,1,2 (3/3 pure, 3/4 of particle 5: good); track 3: row 3 alone (missed);
    // track 4: rows 4,5 + noise 7 (2/3 pure, 2/3 of its particle: good); row 6 alone (missed).
    const labels = new Int32Array([0, 0, 0, 3, 4, 4, 6, 4]);
    const live = new LiveScorer(truth).score(labels, 8);
    expect(live.score).toBeCloseTo(0.3 + 0.4, 12);
    expect(live.score).toBe(official(truth, labels).score);
    expect(live.score).toBeCloseTo(independent(truth, labels).score, 14);
    expect(live.goodTracks).toBe(independent(truth, labels).goodTracks);
    expect([...live.status]).toEqual([MATCH_GOOD, MATCH_GOOD, MATCH_GOOD, MATCH_MISSED, MATCH_GOOD, MATCH_GOOD, MATCH_MISSED, MATCH_GOOD]);
    expect(live.goodTracks).toBe(2);
  });

  it('split tracks are duplicates, impure ones fakes, a lone noise hit is noise', () => {
    // Particle 5 split 2 + 2: neither half has > 50 % of its hits → both duplicates (score 0).
    // Rows 4, 7 (one particle hit + noise): 1/2 each, tie → the smaller id (noise) is the majority → fake.
    // Rows 5, 6 together: 2/3 of the particle → good.
    const scorer = new LiveScorer(truth);
    const labels = new Int32Array([1, 1, 2, 2, 8, 9, 9, 8]);
    const live = scorer.score(labels, 10);
    expect(live.score).toBeCloseTo(0.4, 12);
    expect(live.score).toBe(official(truth, labels).score);
    expect(live.score).toBeCloseTo(independent(truth, labels).score, 14);
    expect([...live.status]).toEqual([
      MATCH_DUPLICATE,
      MATCH_DUPLICATE,
      MATCH_DUPLICATE,
      MATCH_DUPLICATE,
      MATCH_FAKE,
      MATCH_GOOD,
      MATCH_GOOD,
      MATCH_FAKE,
    ]);
    const alone = scorer.score(new Int32Array([0, 1, 2, 3, 4, 5, 6, 7]), 8);
    expect(alone.status[7]).toBe(MATCH_NOISE);
    expect(alone.status[0]).toBe(MATCH_MISSED);
    expect(alone.score).toBe(0);
  });

  it('equals scoring/score.ts bit for bit, and the independent reference port, on random events and labelings, scratch reused across calls', () => {
    let seed = 99;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 5; trial++) {
      const n = 3000;
      const particleId = BigUint64Array.from({ length: n }, () =>
        rand() < 0.1 ? 0n : BigInt(1 + Math.floor(rand() * 400)) * 2n ** 40n + 3n,
      );
      const t = {
        hitId: Uint32Array.from({ length: n }, (_, i) => 7 * i + 1),
        particleId,
        weight: Float64Array.from(particleId, (p) => (p === 0n ? 0 : 1e-4 * (1 + rand()))),
      };
      const scorer = new LiveScorer(t);
      for (let k = 0; k < 4; k++) {
        // Labels that mostly follow the particles (so tracks can be good), with splits and random merges.
        const limit = 2 * n;
        const labels = Int32Array.from(particleId, (p) =>
          rand() < 0.15 ? Math.floor(rand() * limit) : Number(p % 997n) + (rand() < 0.2 ? 1000 : 0),
        );
        const ours = scorer.score(labels, limit);
        const ref = official(t, labels);
        expect(ours.score).toBe(ref.score);
        expect(ours.tracks).toBe(ref.tracks);
        expect(ours.goodTracks).toBe(ref.goodTracks);
        expect(ref.score).toBeGreaterThan(0);
        // Not the scorer's helpers: the literal port of the official loop, summed naively (so to 1e-12).
        const lit = independent(t, labels);
        expect(Math.abs(ours.score - lit.score)).toBeLessThan(1e-12);
        expect(ours.goodTracks).toBe(lit.goodTracks);
      }
    }
  });
});

describe('URL state', () => {
  it('round-trips every field, and defaults stay out of the link', () => {
    const s: ViewState = {
      ...DEFAULT_STATE,
      event: 'event000000042',
      threshold: 0.731,
      ptMinGeV: 1.5,
      absEtaMax: 2.5,
      volume: 8,
      layer: 4,
      hitColour: 'match',
      edgeColour: 'truth',
      tracks: 'submission',
      projection: 'rz',
      showHits: true,
      showEdges: false,
      showDetector: true,
      camera: { position: [100.5, -20, 3000], target: [0, 0, 10], zoom: 2.5 },
    };
    expect(stateFromQuery(stateToQuery(s))).toEqual(s);
    expect(stateToQuery({ ...DEFAULT_STATE, event: 'event000000001' })).toBe('event=event000000001');
  });

  it('malformed values fall back to defaults and are clamped', () => {
    const s = stateFromQuery('event=event000000001&thr=7&pt=abc&hc=rainbow&view=side&show=2x&cam=1,2,3');
    expect(s).toEqual({ ...DEFAULT_STATE, event: 'event000000001', threshold: 1 });
  });
});

describe('column pack', () => {
  it('round-trips typed arrays of every kind with 8-byte alignment', () => {
    const cols = {
      a: new Float32Array([1.5, -2]),
      b: new Uint8Array([1, 2, 3]),
      c: new BigUint64Array([2n ** 64n - 1n]),
      d: new Int32Array([-7]),
      e: new Float64Array([Math.PI]),
      f: new BigInt64Array([-(2n ** 63n)]),
      g: new Uint16Array([65535]),
    };
    const packed = packColumns({ eventId: 'x', n: 3 }, cols);
    const { meta, columns } = unpackColumns(packed.slice().buffer);
    expect(meta).toEqual({ eventId: 'x', n: 3 });
    for (const [k, v] of Object.entries(cols)) expect(columns[k]).toEqual(v);
    expect(() => unpackColumns(new Uint8Array(16).buffer)).toThrow(/not a viewer column pack/);
  });
});
