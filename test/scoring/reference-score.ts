// Independent, literal port of trackml-library's `_analyze_tracks` + `score_event` (trackml/score.py), used
// only by tests to check scoring/score.ts. Deliberately naive: per-row objects, bigint keys, one sort.
import type { Submission, Truth } from '../../src/trackml/types.ts';

export interface ReferenceTrack {
  trackId: bigint;
  nhits: number;
  majorParticleId: bigint;
  majorParticleNhits: number;
  majorNhits: number;
  majorWeight: number;
}

export function referenceAnalyzeTracks(truth: Truth, submission: Submission): ReferenceTrack[] {
  // particles_nhits = truth['particle_id'].value_counts(); total_weight = truth['weight'].sum()
  const particlesNhits = new Map<bigint, number>();
  let totalWeight = 0;
  for (let i = 0; i < truth.hitId.length; i++) {
    const p = truth.particleId[i];
    particlesNhits.set(p, (particlesNhits.get(p) ?? 0) + 1);
    totalWeight += truth.weight[i];
  }
  // event = merge(truth[hit_id, particle_id, weight], submission[hit_id, track_id], on hit_id, left, 1:1)
  const trackOfHit = new Map<number, bigint>();
  for (let i = 0; i < submission.hitId.length; i++) {
    if (trackOfHit.has(submission.hitId[i])) throw new Error('reference: duplicate hit in submission');
    trackOfHit.set(submission.hitId[i], submission.trackId[i]);
  }
  const event: { trackId: bigint; particleId: bigint; weight: number }[] = [];
  for (let i = 0; i < truth.hitId.length; i++) {
    const t = trackOfHit.get(truth.hitId[i]);
    if (t === undefined) throw new Error('reference: truth hit missing from submission');
    event.push({ trackId: t, particleId: truth.particleId[i], weight: truth.weight[i] });
  }
  // event.sort_values(by=['track_id', 'particle_id'])
  const cmp = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
  event.sort((a, b) => cmp(a.trackId, b.trackId) || cmp(a.particleId, b.particleId));

  // The reference uses -1 as "no track yet" and assumes 0 <= track_id; a null sentinel avoids that assumption.
  const tracks: ReferenceTrack[] = [];
  let recTrackId: bigint | null = null;
  let recNhits = 0;
  let curParticleId = -1n;
  let curNhits = 0;
  let curWeight = 0;
  let majParticleId = -1n;
  let majNhits = 0;
  let majWeight = 0;
  const store = () =>
    tracks.push({
      trackId: recTrackId as bigint,
      nhits: recNhits,
      majorParticleId: majParticleId,
      majorParticleNhits: particlesNhits.get(majParticleId) as number,
      majorNhits: majNhits,
      majorWeight: majWeight / totalWeight,
    });
  for (const hit of event) {
    // we reached the next track so we need to finish the current one
    if (recTrackId !== null && recTrackId !== hit.trackId) {
      if (majNhits < curNhits) {
        majParticleId = curParticleId;
        majNhits = curNhits;
        majWeight = curWeight;
      }
      store();
    }
    // setup running values for next track (or first)
    if (recTrackId !== hit.trackId) {
      recTrackId = hit.trackId;
      recNhits = 1;
      curParticleId = hit.particleId;
      curNhits = 1;
      curWeight = hit.weight;
      majParticleId = -1n;
      majNhits = 0;
      // (the reference resets a misspelt `maj_weights` here; maj_weight is always overwritten before use)
      continue;
    }
    recNhits += 1;
    if (curParticleId !== hit.particleId) {
      if (majNhits < curNhits) {
        majParticleId = curParticleId;
        majNhits = curNhits;
        majWeight = curWeight;
      }
      curParticleId = hit.particleId;
      curNhits = 1;
      curWeight = hit.weight;
    } else {
      curNhits += 1;
      curWeight += hit.weight;
    }
  }
  if (majNhits < curNhits) {
    majParticleId = curParticleId;
    majNhits = curNhits;
    majWeight = curWeight;
  }
  store();
  return tracks;
}

/** score_event: sum of major_weight over tracks with both purities > 0.5. */
export function referenceScore(truth: Truth, submission: Submission): number {
  let score = 0;
  for (const t of referenceAnalyzeTracks(truth, submission)) {
    if (0.5 < t.majorNhits / t.nhits && 0.5 < t.majorNhits / t.majorParticleNhits) score += t.majorWeight;
  }
  return score;
}
