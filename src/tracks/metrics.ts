// Tracking metrics beside the TrackML score, as counts (so events add up) and rates, by particle pT and η.
// A particle is reconstructed when one track holds > 50 % of its hits and > 50 % of that track's hits are its
// (the score's "good" track); a track is matched when > 50 % of its hits come from one particle; fake = candidate
// track matched to no particle (or to noise); duplicate = each matched track beyond the first for a particle.
import { scoreEvent, type ScoreResult } from '../../scoring/index.ts';
import type { Particles, Submission, Truth } from '../trackml/types.ts';

/** pT bin edges in GeV: [0, 0.5), [0.5, 1), [1, 2), [2, 5), [5, ∞). */
export const METRIC_PT_EDGES_GEV = [0, 0.5, 1, 2, 5, Infinity] as const;
/** η bin edges for efficiency vs η (particles with pT > ETA_MIN_PT_GEV). */
export const METRIC_ETA_EDGES = [-4, -3.5, -3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4] as const;
export const ETA_MIN_PT_GEV = 1;
/** Reconstructable = at least this many hits (the other count is reported beside it). */
export const MIN_HITS = [3, 5] as const;

/** Counts for one event (or summed over events), per pT bin; index [k] of the `*ByMinHits` arrays is MIN_HITS[k]. */
export interface TrackingCounts {
  ptEdgesGeV: number[];
  etaEdges: number[];
  /** reconstructable[k][bin], reconstructed[k][bin]: particles with ≥ MIN_HITS[k] hits, and those found. */
  reconstructable: number[][];
  reconstructed: number[][];
  /** Efficiency vs η of particles with pT > ETA_MIN_PT_GEV and ≥ 3 hits. */
  etaReconstructable: number[];
  etaReconstructed: number[];
  /** Candidate tracks (≥ 3 hits) by the pT of their majority particle (noise-majority tracks in bin 0). */
  tracks: number[];
  fakes: number[];
  duplicates: number[];
}

export interface TrackingRates {
  ptBin: string;
  efficiency: number;
  efficiency5: number;
  fakeRate: number;
  duplicateRate: number;
  particles: number;
  particles5: number;
  tracks: number;
}

function binOf(edges: readonly number[], v: number): number {
  if (!(v >= edges[0]) || !(v < edges[edges.length - 1])) return -1;
  let b = 0;
  while (v >= edges[b + 1]) b++;
  return b;
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

export function emptyCounts(): TrackingCounts {
  const nPt = METRIC_PT_EDGES_GEV.length - 1;
  const nEta = METRIC_ETA_EDGES.length - 1;
  return {
    ptEdgesGeV: [...METRIC_PT_EDGES_GEV],
    etaEdges: [...METRIC_ETA_EDGES],
    reconstructable: MIN_HITS.map(() => zeros(nPt)),
    reconstructed: MIN_HITS.map(() => zeros(nPt)),
    etaReconstructable: zeros(nEta),
    etaReconstructed: zeros(nEta),
    tracks: zeros(nPt),
    fakes: zeros(nPt),
    duplicates: zeros(nPt),
  };
}

/** Sums counts of several events. */
export function addCounts(into: TrackingCounts, c: TrackingCounts): TrackingCounts {
  const add = (a: number[], b: number[]) => b.forEach((v, i) => (a[i] += v));
  into.reconstructable.forEach((a, k) => add(a, c.reconstructable[k]));
  into.reconstructed.forEach((a, k) => add(a, c.reconstructed[k]));
  add(into.etaReconstructable, c.etaReconstructable);
  add(into.etaReconstructed, c.etaReconstructed);
  add(into.tracks, c.tracks);
  add(into.fakes, c.fakes);
  add(into.duplicates, c.duplicates);
  return into;
}

/** Counts for one event. Particle pT and η come from the particles file when given, else from the truth
 * momentum at the particle's first hit. `score` may be passed when already computed for the same submission. */
export function countTracking(truth: Truth, submission: Submission, particles?: Particles, score?: ScoreResult): TrackingCounts {
  const result = score ?? scoreEvent(truth, submission);
  const counts = emptyCounts();
  // Per particle: hits in the truth and kinematics.
  const nhits = new Map<bigint, number>();
  const kin = new Map<bigint, { ptGeV: number; eta: number }>();
  const kinOf = (px: number, py: number, pz: number) => {
    const pt = Math.hypot(px, py);
    return { ptGeV: pt, eta: Math.asinh(pz / Math.max(pt, 1e-12)) };
  };
  for (let r = 0; r < truth.hitId.length; r++) {
    const p = truth.particleId[r];
    if (p === 0n) continue;
    nhits.set(p, (nhits.get(p) ?? 0) + 1);
    if (!particles && !kin.has(p)) kin.set(p, kinOf(truth.tpx[r], truth.tpy[r], truth.tpz[r]));
  }
  if (particles) {
    for (let i = 0; i < particles.particleId.length; i++) {
      const p = particles.particleId[i];
      if (nhits.has(p)) kin.set(p, kinOf(particles.px[i], particles.py[i], particles.pz[i]));
    }
  }
  const ptBinOf = (p: bigint) => Math.max(0, binOf(METRIC_PT_EDGES_GEV, kin.get(p)?.ptGeV ?? 0));

  const t = result.perTrack;
  const found = new Set<bigint>();
  for (let k = 0; k < t.good.length; k++) if (t.good[k] === 1 && t.majorParticleId[k] !== 0n) found.add(t.majorParticleId[k]);
  for (const [p, n] of nhits) {
    const bin = ptBinOf(p);
    const hit = found.has(p);
    MIN_HITS.forEach((min, k) => {
      if (n < min) return;
      counts.reconstructable[k][bin]++;
      if (hit) counts.reconstructed[k][bin]++;
    });
    const kp = kin.get(p);
    if (n >= MIN_HITS[0] && kp && kp.ptGeV > ETA_MIN_PT_GEV) {
      const eb = binOf(METRIC_ETA_EDGES, kp.eta);
      if (eb >= 0) {
        counts.etaReconstructable[eb]++;
        if (hit) counts.etaReconstructed[eb]++;
      }
    }
  }
  // Tracks: candidates have ≥ 3 hits; matched when > 50 % of their hits are one (non-noise) particle's.
  const matchedTracks = new Map<bigint, number>();
  for (let k = 0; k < t.nhits.length; k++) {
    if (t.nhits[k] < MIN_HITS[0]) continue;
    const p = t.majorParticleId[k];
    const bin = p === 0n ? 0 : ptBinOf(p);
    counts.tracks[bin]++;
    if (p === 0n || !(t.majorNhits[k] / t.nhits[k] > 0.5)) {
      counts.fakes[bin]++;
      continue;
    }
    const seen = matchedTracks.get(p) ?? 0;
    matchedTracks.set(p, seen + 1);
    if (seen > 0) counts.duplicates[bin]++;
  }
  return counts;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);
const sum = (a: number[], from = 0, to = a.length): number => a.slice(from, to).reduce((s, v) => s + v, 0);

/** Rates per pT bin, plus "pT > 1 GeV" and "all" rows. NaN where a bin is empty. */
export function trackingRates(c: TrackingCounts): TrackingRates[] {
  const rows: TrackingRates[] = [];
  const nPt = c.ptEdgesGeV.length - 1;
  const row = (name: string, from: number, to: number): TrackingRates => ({
    ptBin: name,
    efficiency: ratio(sum(c.reconstructed[0], from, to), sum(c.reconstructable[0], from, to)),
    efficiency5: ratio(sum(c.reconstructed[1], from, to), sum(c.reconstructable[1], from, to)),
    fakeRate: ratio(sum(c.fakes, from, to), sum(c.tracks, from, to)),
    duplicateRate: ratio(sum(c.duplicates, from, to), sum(c.tracks, from, to)),
    particles: sum(c.reconstructable[0], from, to),
    particles5: sum(c.reconstructable[1], from, to),
    tracks: sum(c.tracks, from, to),
  });
  for (let b = 0; b < nPt; b++) {
    const lo = c.ptEdgesGeV[b];
    const hi = c.ptEdgesGeV[b + 1];
    rows.push(row(hi === Infinity ? `≥ ${lo}` : `${lo}–${hi}`, b, b + 1));
  }
  const pt1 = c.ptEdgesGeV.indexOf(1);
  rows.push(row('> 1', pt1, nPt));
  rows.push(row('all', 0, nPt));
  return rows;
}
