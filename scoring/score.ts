// The official TrackML score (trackml-library `score_event`), on columnar typed arrays; no I/O.
// Per reconstructed track: majority particle (most hits, ties → smallest particle id, noise = particle 0);
// the track counts if it holds >50 % of its own hits and >50 % of that particle's hits; score = counted weight.
import { InputError } from '../src/core/errors.ts';
import type { Submission, Truth } from '../src/trackml/types.ts';
import { hitRowLookup } from '../src/trackml/hit-lookup.ts';
import { groupIds64, rankGroupsUnsigned } from './dense-ids.ts';

/** Per reconstructed track, in order of first appearance in the submission (the reference's columns). */
export interface TrackScores {
  trackId: BigInt64Array;
  /** Hits in the track. */
  nhits: Uint32Array;
  /** Particle with the most hits in the track (ties → smallest id); 0 = noise. */
  majorParticleId: BigUint64Array;
  /** Hits of the majority particle in the whole truth. */
  majorParticleNhits: Uint32Array;
  /** Hits of the majority particle in this track. */
  majorNhits: Uint32Array;
  /** Truth weight of the majority particle's hits in this track, as a fraction of the event's total weight. */
  majorWeight: Float64Array;
  /** 1 when both purities exceed 0.5, so `majorWeight` counts toward the score. */
  good: Uint8Array;
}

export interface ScoreResult {
  /** In [0, 1]: summed `majorWeight` of good tracks. */
  score: number;
  /** Sum of all truth weights (the denominator). */
  totalWeight: number;
  /** Hits scored (= truth rows = submission rows). */
  hits: number;
  tracks: number;
  goodTracks: number;
  perTrack: TrackScores;
}

/** Names for error messages: the files the truth and the submission came from. */
export interface ScoreLabels {
  truthFile?: string;
  submissionFile?: string;
}

/** Scores one event. Throws InputError when the submission does not cover the truth hits exactly once. */
export function scoreEvent(
  truth: Pick<Truth, 'hitId' | 'particleId' | 'weight'>,
  submission: Submission,
  labels: ScoreLabels = {},
): ScoreResult {
  const { truthFile, submissionFile } = labels;
  const nTruth = truth.hitId.length;
  const nSub = submission.hitId.length;
  if (truth.particleId.length !== nTruth || truth.weight.length !== nTruth) {
    throw new Error('scoreEvent: truth columns have different lengths');
  }
  if (submission.trackId.length !== nSub) throw new Error('scoreEvent: submission columns have different lengths');
  if (nTruth === 0) throw new InputError(truthFile, undefined, 'truth has no hits; the score is undefined');

  // --- join submission rows to truth rows on hit_id (one-to-one, as the reference's merge validates)
  // Truth hit ids are unique: readTruth rejects repeats, and hitRowLookup throws on them.
  const truthRowOf = hitRowLookup(truth.hitId);
  const tracks = groupIds64(submission.trackId);
  const trackOfTruthRow = new Int32Array(nTruth).fill(-1);
  const subRowOfTruthRow = new Int32Array(nTruth);
  for (let i = 0; i < nSub; i++) {
    const r = truthRowOf(submission.hitId[i]);
    // Line numbers: the header is line 1, so row i is line i + 2.
    if (r < 0) throw new InputError(submissionFile, i + 2, `hit_id ${submission.hitId[i]} is not in the truth`);
    if (trackOfTruthRow[r] >= 0) {
      throw new InputError(submissionFile, i + 2, `duplicate hit_id ${submission.hitId[i]} (first on line ${subRowOfTruthRow[r] + 2})`);
    }
    trackOfTruthRow[r] = tracks.groupOfRow[i];
    subRowOfTruthRow[r] = i;
  }
  if (nSub < nTruth) {
    let firstMissing = -1;
    for (let r = 0; r < nTruth && firstMissing < 0; r++) if (trackOfTruthRow[r] < 0) firstMissing = r;
    throw new InputError(
      submissionFile,
      undefined,
      `${nTruth - nSub} truth hit(s) missing from the submission, e.g. hit_id ${truth.hitId[firstMissing]}`,
    );
  }

  // --- particles: dense rank in ascending id order, so "smaller rank" is the reference's tie rule
  const particles = groupIds64(truth.particleId);
  const particleRankOfGroup = rankGroupsUnsigned(truth.particleId, particles);
  const nParticles = particles.groups;
  const particleOfRow = new Int32Array(nTruth);
  const particleNhits = new Uint32Array(nParticles);
  const total = new CompensatedSum();
  for (let r = 0; r < nTruth; r++) {
    const p = particleRankOfGroup[particles.groupOfRow[r]];
    particleOfRow[r] = p;
    particleNhits[p]++;
    total.add(truth.weight[r]);
  }
  const totalWeight = total.value();
  if (!(totalWeight > 0)) {
    throw new InputError(truthFile, undefined, `truth weights sum to ${totalWeight}; the score is undefined`);
  }
  const truthRowOfRank = new Int32Array(nParticles);
  for (let g = 0; g < nParticles; g++) truthRowOfRank[particleRankOfGroup[g]] = particles.firstRow[g];

  // --- bucket truth rows by track (counting sort), then count particles inside each track
  const nTracks = tracks.groups;
  const trackStart = new Int32Array(nTracks + 1);
  for (let r = 0; r < nTruth; r++) trackStart[trackOfTruthRow[r] + 1]++;
  for (let t = 0; t < nTracks; t++) trackStart[t + 1] += trackStart[t];
  const nextSlot = trackStart.slice(0, nTracks);
  const rowsByTrack = new Int32Array(nTruth);
  for (let r = 0; r < nTruth; r++) rowsByTrack[nextSlot[trackOfTruthRow[r]]++] = r;

  const countInTrack = new Uint32Array(nParticles);
  const weightInTrack = new Float64Array(nParticles);
  const touched = new Int32Array(nParticles);

  const out: TrackScores = {
    trackId: new BigInt64Array(nTracks),
    nhits: new Uint32Array(nTracks),
    majorParticleId: new BigUint64Array(nTracks),
    majorParticleNhits: new Uint32Array(nTracks),
    majorNhits: new Uint32Array(nTracks),
    majorWeight: new Float64Array(nTracks),
    good: new Uint8Array(nTracks),
  };
  const score = new CompensatedSum();
  let goodTracks = 0;
  for (let t = 0; t < nTracks; t++) {
    const begin = trackStart[t];
    const end = trackStart[t + 1];
    let nTouched = 0;
    for (let k = begin; k < end; k++) {
      const r = rowsByTrack[k];
      const p = particleOfRow[r];
      if (countInTrack[p] === 0) touched[nTouched++] = p;
      countInTrack[p]++;
      weightInTrack[p] += truth.weight[r];
    }
    const major = majorityParticle(touched, nTouched, countInTrack);
    const majorCount = countInTrack[major];
    const nhits = end - begin;
    const majorWeight = weightInTrack[major] / totalWeight;
    for (let j = 0; j < nTouched; j++) {
      countInTrack[touched[j]] = 0;
      weightInTrack[touched[j]] = 0;
    }
    // Both purities strictly above one half, written as the reference's divisions.
    const good = majorCount / nhits > 0.5 && majorCount / particleNhits[major] > 0.5;
    out.trackId[t] = submission.trackId[tracks.firstRow[t]];
    out.nhits[t] = nhits;
    out.majorParticleId[t] = truth.particleId[truthRowOfRank[major]];
    out.majorParticleNhits[t] = particleNhits[major];
    out.majorNhits[t] = majorCount;
    out.majorWeight[t] = majorWeight;
    if (good) {
      out.good[t] = 1;
      goodTracks++;
      score.add(majorWeight);
    }
  }
  return { score: score.value(), totalWeight, hits: nTruth, tracks: nTracks, goodTracks, perTrack: out };
}

/** Neumaier summation: a plain running sum over ~10^5 weights drifts by ~1e-13, more than numpy's pairwise
 * sum in the reference; this keeps a perfect submission at 1 to ~1e-16. */
/** The track's majority particle among the `nTouched` dense particle indices in `touched`: most hits, ties to
 * the smallest index (dense indices follow particle-id order, so: the smallest id, as the reference). */
export function majorityParticle(touched: Int32Array, nTouched: number, countInTrack: Uint32Array): number {
  let major = -1;
  let majorCount = 0;
  for (let j = 0; j < nTouched; j++) {
    const p = touched[j];
    const c = countInTrack[p];
    if (c > majorCount || (c === majorCount && p < major)) {
      major = p;
      majorCount = c;
    }
  }
  return major;
}

export class CompensatedSum {
  private sum = 0;
  private carry = 0;

  add(x: number): void {
    const t = this.sum + x;
    this.carry += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  value(): number {
    return this.sum + this.carry;
  }
}
